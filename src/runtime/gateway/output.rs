//! What the gateway answers: JSON bodies, the JSON a route shows of a response message, and
//! server streams as NDJSON.

use axum::body::Body;
use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode};
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor, SerializeOptions};

use super::HttpResponse;
use super::status;

pub(super) fn json_response(status: StatusCode, body: &serde_json::Value) -> HttpResponse {
    let mut response = Response::new(Body::from(serde_json::to_vec(body).unwrap_or_default()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

pub(super) fn ndjson_line(value: &serde_json::Value) -> Bytes {
    let mut text = serde_json::to_vec(value).unwrap_or_default();
    text.push(b'\n');
    Bytes::from(text)
}

/// How a route's responses are shown: the message, or its `response_body` field alone.
pub(super) struct CompiledView {
    pub(super) output: MessageDescriptor,
    pub(super) selected: &'static str,
}

impl CompiledView {
    pub(super) fn json(
        &self,
        message: &DynamicMessage,
    ) -> Result<serde_json::Value, tonic::Status> {
        let render = |skip_defaults: bool| {
            let options = SerializeOptions::new().skip_default_fields(skip_defaults);
            message
                .serialize_with_options(serde_json::value::Serializer, &options)
                .map_err(|e| tonic::Status::internal(format!("encoding the response: {e}")))
        };
        let json = render(true)?;
        let Some(field) = self.output.get_field_by_name(self.selected) else {
            return Ok(json);
        };
        if let Some(value) = json.get(field.json_name()) {
            return Ok(value.clone());
        }
        // The selected field has its default value: an empty message, or the scalar's zero.
        if matches!(field.kind(), prost_reflect::Kind::Message(_))
            && !field.is_list()
            && !field.is_map()
        {
            return Ok(serde_json::Value::Object(Default::default()));
        }
        Ok(render(false)?
            .get(field.json_name())
            .cloned()
            .unwrap_or(serde_json::Value::Null))
    }
}

/// A server stream as NDJSON: one `{"result"}` line per message; a failure ends the stream with
/// one `{"error"}` line. A client that goes away drops the stream, which cancels the call.
pub(super) fn ndjson_stream(
    view: CompiledView,
    mut stream: tonic::Streaming<DynamicMessage>,
    pool: DescriptorPool,
) -> HttpResponse {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(16);
    tokio::spawn(async move {
        loop {
            let rendered = match stream.message().await {
                Ok(None) => return,
                Ok(Some(message)) => view.json(&message),
                Err(status) => Err(status),
            };
            let (line, last) = match rendered {
                Ok(json) => (serde_json::json!({ "result": json }), false),
                Err(status) => {
                    let error = status::error_body(&status, &pool);
                    (serde_json::json!({ "error": error }), true)
                }
            };
            if tx.send(Ok(ndjson_line(&line))).await.is_err() || last {
                return;
            }
        }
    });
    let mut response = Response::new(Body::from_stream(
        tokio_stream::wrappers::ReceiverStream::new(rx),
    ));
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    response
}
