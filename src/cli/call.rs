//! `protoforge call`: list, describe and call the methods of any gRPC server, from JSON, with
//! the schema from server reflection or from local files. The client itself is `crate::call`.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use heck::ToShoutySnakeCase as _;
use prost_reflect::{DescriptorPool, DynamicMessage, MessageDescriptor, MethodDescriptor};
use tokio::sync::{mpsc, oneshot};
use tonic::Status;
use tonic::metadata::{MetadataKey, MetadataMap, MetadataValue};
use tonic::transport::Channel;

use super::{Cli, EXIT_CLEAN, Sources};
use crate::call::{self as client, Reflection, Target, TlsOptions};
use crate::error::{Error, Result};
use crate::runtime::gateway::message::from_json;
use crate::runtime::gateway::status::error_body;

/// A failed call exits with this plus its status code (grpcurl's convention): 64 + 5 = 69 for
/// NOT_FOUND. A connection that cannot be made is UNAVAILABLE (78).
pub const EXIT_STATUS_BASE: u8 = 64;

#[derive(Debug, Args)]
#[command(after_help = "Forms:
  protoforge call ADDR list                      services
  protoforge call ADDR list SERVICE              a service's methods
  protoforge call ADDR describe SYMBOL           a service, method, message, enum or field
  protoforge call ADDR pkg.Service/Method -d '{\"id\": \"1\"}'
  protoforge call ADDR pkg.Service/Method -d @- < requests.ndjson

ADDR is host:port (plaintext HTTP/2), https://host[:port] (TLS), or a URL that names the method
too (http://host:port/pkg.Service/Method, as buf curl takes it). A failed call exits 64 + its
status code (NOT_FOUND: 69); usage and schema errors exit 2.")]
pub struct CallArgs {
    /// The server: host:port, http://host:port, https://host:port (TLS) or
    /// http(s)://host:port/pkg.Service/Method.
    #[arg(value_name = "ADDR")]
    pub address: String,

    /// `list [SERVICE]`, `describe SYMBOL`, or the method to call: pkg.Service/Method (or
    /// pkg.Service.Method).
    #[arg(value_name = "WHAT", num_args = 0..=2)]
    pub what: Vec<String>,

    /// The request: JSON (proto3 JSON mapping; several whitespace-separated messages for client
    /// and bidi streams), @FILE, or @- for stdin, read as it comes (NDJSON for streams). Default:
    /// one empty message for unary and server-streaming methods, none for the others.
    #[arg(short = 'd', long = "data", value_name = "JSON|@FILE|@-")]
    pub data: Option<String>,

    /// Request metadata, `KEY: VALUE` (repeatable); keys ending in `-bin` take base64. Sent with
    /// the reflection requests too.
    #[arg(short = 'H', long = "header", value_name = "KEY: VALUE")]
    pub headers: Vec<String>,

    /// Deadline of the whole operation (connecting, reflection and the call): `500ms`, `5s`,
    /// `1m30s`. The server gets what is left as `grpc-timeout`.
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub timeout: Option<Duration>,

    /// How long to wait for the connection.
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = humantime::parse_duration)]
    pub connect_timeout: Duration,

    /// Use TLS (the default for https:// addresses and with --cacert, --cert or --insecure).
    #[arg(long)]
    pub tls: bool,

    /// Trust the CA certificates in this PEM file as well as the system's.
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,

    /// Client certificate chain (PEM) for servers that ask for one; with --key.
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,

    /// The client certificate's private key (PEM).
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,

    /// Do not check the server's certificate (TLS still encrypts; for local test servers only).
    #[arg(long)]
    pub insecure: bool,

    /// The name the server's certificate must have (default: the address's host).
    #[arg(long, value_name = "NAME")]
    pub servername: Option<String>,

    /// Take the schema from files instead of server reflection: .proto files or directories
    /// (compiled, imports from -I) or encoded descriptor sets (`protoforge build -o`, `buf build
    /// -o`, protoc's --descriptor_set_out). Repeatable.
    #[arg(long = "schema", value_name = "PATH")]
    pub schema: Vec<PathBuf>,

    /// An include root for --schema .proto files (repeatable).
    #[arg(short = 'I', long = "include", value_name = "DIR")]
    pub include: Vec<PathBuf>,

    /// Output: `json` (proto3 JSON, one message per line; errors as the gateway's JSON) or
    /// `text` (protobuf text format, one message per line). `list` and `describe` print text
    /// unless asked for json.
    #[arg(long, value_enum)]
    pub format: Option<CallFormat>,

    /// Print fields that hold their default value too.
    #[arg(long)]
    pub emit_defaults: bool,

    /// Print the response headers and trailers on stderr.
    #[arg(short, long)]
    pub verbose: bool,

    /// The largest message sent or accepted, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 4 * 1024 * 1024)]
    pub max_message_size: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CallFormat {
    Json,
    Text,
}

enum Action {
    List(Option<String>),
    Describe(String),
    Call(String),
}

fn action(args: &CallArgs, target: &Target) -> Result<Action> {
    let what: Vec<&str> = args.what.iter().map(String::as_str).collect();
    let usage = |message: String| {
        Error::usage(
            message,
            Some("write `list [SERVICE]`, `describe SYMBOL` or pkg.Service/Method".into()),
        )
    };
    match (what.as_slice(), &target.method) {
        ([], Some(method)) => Ok(Action::Call(method.clone())),
        ([], None) => Err(usage(
            "nothing to do: name a method, `list` or `describe`".into(),
        )),
        (_, Some(method)) => Err(usage(format!(
            "the address already names the method `{method}`; `{}` is one thing too many",
            what.join(" ")
        ))),
        (["list"], None) => Ok(Action::List(None)),
        (["list", service], None) => Ok(Action::List(Some((*service).to_owned()))),
        (["describe", symbol], None) => Ok(Action::Describe((*symbol).to_owned())),
        (["describe"], None) => Err(usage("`describe` needs a symbol".into())),
        ([method], None) => Ok(Action::Call((*method).to_owned())),
        (_, None) => Err(usage(format!("`{}` is not a form", what.join(" ")))),
    }
}

/// `-H` values as gRPC metadata.
fn metadata(headers: &[String]) -> Result<MetadataMap> {
    let mut map = MetadataMap::new();
    for header in headers {
        let bad = |why: String| {
            Error::usage(
                format!("bad header `{header}`: {why}"),
                Some("write -H 'key: value'".into()),
            )
        };
        let (key, value) = header.split_once(':').ok_or_else(|| bad("no `:`".into()))?;
        let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
        if key.ends_with("-bin") {
            use base64::Engine as _;
            let engine = &base64::engine::general_purpose::STANDARD;
            let bytes = engine
                .decode(value.trim_end_matches('='))
                .or_else(|_| {
                    base64::engine::general_purpose::STANDARD_NO_PAD
                        .decode(value.trim_end_matches('='))
                })
                .map_err(|e| bad(format!("a -bin value is base64: {e}")))?;
            let key = MetadataKey::from_bytes(key.as_bytes()).map_err(|e| bad(e.to_string()))?;
            map.append_bin(key, MetadataValue::from_bytes(&bytes));
        } else {
            let key: MetadataKey<_> = key.parse().map_err(|e| bad(format!("{e}")))?;
            let value: MetadataValue<_> = value.parse().map_err(|e| bad(format!("{e}")))?;
            map.append(key, value);
        }
    }
    Ok(map)
}

/// Where the schema comes from: files given on the command line, or the server.
enum Schema {
    Local(DescriptorPool),
    Reflection(Box<Reflection>),
}

impl Schema {
    /// The pool that knows `symbol` (loading it from the server when needed).
    async fn pool_for(&mut self, symbol: &str) -> std::result::Result<DescriptorPool, Failure> {
        match self {
            Schema::Local(pool) => Ok(pool.clone()),
            Schema::Reflection(reflection) => {
                let loaded = reflection.load_symbol(symbol).await;
                // A method or field is found through its parent.
                let loaded = match (loaded, client::containing(symbol)) {
                    (Err(status), Some(parent)) if status.code() == tonic::Code::NotFound => {
                        reflection.load_symbol(parent).await
                    }
                    (loaded, _) => loaded,
                };
                match loaded {
                    Ok(()) => reflection.pool().map_err(Failure::Usage),
                    Err(status) if status.code() == tonic::Code::NotFound => {
                        // Say what the server has.
                        let services = reflection.services().await.unwrap_or_default();
                        Err(Failure::Usage(format!(
                            "the server does not know `{symbol}` ({}){}",
                            reflection.version(),
                            client::did_you_mean(
                                symbol.split(['/']).next().unwrap_or(symbol),
                                services.iter().map(String::as_str)
                            )
                        )))
                    }
                    Err(status) => Err(Failure::Status(status, None)),
                }
            }
        }
    }
}

/// Why a command did not succeed: a gRPC status (exit 64 + code) or a usage, input or schema
/// error (exit 2).
enum Failure {
    Status(Status, Option<DescriptorPool>),
    Usage(String),
}

impl From<Status> for Failure {
    fn from(status: Status) -> Failure {
        Failure::Status(status, None)
    }
}

/// Local `--schema` paths: .proto files and directories compile together; anything else is a
/// descriptor set.
fn local_schema(cli: &Cli, args: &CallArgs) -> Result<DescriptorPool> {
    let (protos, sets): (Vec<PathBuf>, Vec<PathBuf>) = args
        .schema
        .iter()
        .cloned()
        .partition(|p| p.is_dir() || p.extension().is_some_and(|e| e == "proto"));
    // (what to call it in an error, the encoded set)
    let mut encoded = Vec::new();
    for set in &sets {
        let bytes = std::fs::read(set).map_err(|e| Error::io(set, e))?;
        encoded.push((set.display().to_string(), bytes));
    }
    if !protos.is_empty() {
        let sources = Sources {
            paths: protos,
            include: args.include.clone(),
        };
        let Some((_, _, compilation)) = super::build::compile(cli, &sources)? else {
            return Err(Error::usage(
                "the --schema files do not compile (errors above)",
                None,
            ));
        };
        let set = compilation.descriptor_set(true, false);
        encoded.push(("the --schema .proto files".to_owned(), set));
    }
    client::link(encoded.iter().map(|(_, set)| set.as_slice())).map_err(|(n, e)| {
        Error::usage(
            format!("{}: {e}", encoded[n].0),
            Some("--schema takes .proto files, directories and encoded descriptor sets".into()),
        )
    })
}

/// Runs `protoforge call` on its own runtime.
pub fn run(cli: &Cli, args: &CallArgs) -> Result<u8> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("tokio runtime", e))?;
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    runtime.block_on(execute(cli, args, &mut stdout, &mut stderr))
}

/// `protoforge call` with its output going to `out` and `err` (what `run` and the tests use).
pub async fn execute(
    cli: &Cli,
    args: &CallArgs,
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> Result<u8> {
    let tls_asked = args.tls || args.insecure || args.cacert.is_some() || args.cert.is_some();
    let target = client::parse_address(&args.address, tls_asked)
        .map_err(|e| Error::usage(e, Some("`protoforge call --help` shows the forms".into())))?;
    let action = action(args, &target)?;
    let metadata = metadata(&args.headers)?;
    let local = if args.schema.is_empty() {
        None
    } else {
        Some(local_schema(cli, args)?)
    };
    let format = args.format;
    let work = perform(args, &target, action, metadata, local, out, &mut *err);
    let outcome = match args.timeout {
        Some(timeout) => tokio::time::timeout(timeout, work)
            .await
            .unwrap_or_else(|_| {
                Err(Failure::Status(
                    Status::deadline_exceeded(format!(
                        "--timeout {} passed",
                        humantime::format_duration(timeout)
                    )),
                    None,
                ))
            }),
        None => work.await,
    };
    match outcome {
        Ok(()) => Ok(EXIT_CLEAN),
        Err(Failure::Usage(message)) => Err(Error::usage(message, None)),
        Err(Failure::Status(status, pool)) => {
            let pool = pool.unwrap_or_else(|| client::link([]).unwrap_or_default());
            let _ = write_status(err, &status, &pool, format.unwrap_or(CallFormat::Json));
            if args.verbose && !status.metadata().is_empty() {
                let _ = write_metadata(err, "Response trailers", status.metadata());
            }
            Ok(EXIT_STATUS_BASE + status.code() as u8)
        }
    }
}

fn write_status(
    err: &mut (dyn Write + Send),
    status: &Status,
    pool: &DescriptorPool,
    format: CallFormat,
) -> std::io::Result<()> {
    let body = error_body(status, pool);
    match format {
        CallFormat::Json => writeln!(err, "{body}"),
        CallFormat::Text => {
            let code = format!("{:?}", status.code()).to_shouty_snake_case();
            writeln!(
                err,
                "ERROR:\n  Code: {code}\n  Message: {}",
                status.message()
            )?;
            if let Some(details) = body["details"].as_array().filter(|d| !d.is_empty()) {
                writeln!(err, "  Details:")?;
                for detail in details {
                    writeln!(err, "    {detail}")?;
                }
            }
            Ok(())
        }
    }
}

fn write_metadata(
    err: &mut (dyn Write + Send),
    title: &str,
    map: &MetadataMap,
) -> std::io::Result<()> {
    writeln!(err, "{title}:")?;
    for entry in map.iter() {
        match entry {
            tonic::metadata::KeyAndValueRef::Ascii(key, value) => {
                writeln!(err, "  {key}: {}", value.to_str().unwrap_or("<not text>"))?
            }
            tonic::metadata::KeyAndValueRef::Binary(key, value) => {
                use base64::Engine as _;
                let bytes = value.to_bytes().unwrap_or_default();
                let text = base64::engine::general_purpose::STANDARD.encode(bytes);
                writeln!(err, "  {key}: {text}")?
            }
        }
    }
    Ok(())
}

async fn perform(
    args: &CallArgs,
    target: &Target,
    action: Action,
    metadata: MetadataMap,
    local: Option<DescriptorPool>,
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> std::result::Result<(), Failure> {
    let json = args.format == Some(CallFormat::Json);
    let write = |out: &mut (dyn Write + Send), text: &str| {
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| Failure::Usage(format!("cannot write the output: {e}")))
    };
    // Listing and describing from local files needs no server.
    let offline = local.is_some() && !matches!(action, Action::Call(_));
    let channel = if offline {
        None
    } else {
        let tls = TlsOptions {
            cacert: args.cacert.clone(),
            cert: args.cert.clone(),
            key: args.key.clone(),
            insecure: args.insecure,
            server_name: args.servername.clone(),
        };
        match client::connect(target, &tls, args.connect_timeout).await {
            Ok(channel) => Some(channel),
            Err(client::ConnectError::Unreachable(why)) => {
                return Err(Failure::Status(Status::unavailable(why), None));
            }
            Err(client::ConnectError::Setup(why)) => return Err(Failure::Usage(why)),
        }
    };
    let mut schema = match (local, &channel) {
        (Some(pool), _) => Schema::Local(pool),
        (None, Some(channel)) => {
            Schema::Reflection(Box::new(Reflection::new(channel.clone(), metadata.clone())))
        }
        (None, None) => unreachable!("without local files there is a connection"),
    };
    match action {
        Action::List(None) => {
            let services = match &mut schema {
                Schema::Local(pool) => {
                    let mut names: Vec<String> =
                        pool.services().map(|s| s.full_name().to_owned()).collect();
                    names.sort();
                    names
                }
                Schema::Reflection(reflection) => reflection.services().await?,
            };
            let text = if json {
                format!("{}\n", serde_json::json!(services))
            } else {
                services.iter().map(|s| format!("{s}\n")).collect()
            };
            write(out, &text)
        }
        Action::List(Some(service)) => {
            let pool = schema.pool_for(&service).await?;
            let Some(descriptor) = pool.get_service_by_name(&service) else {
                return Err(Failure::Usage(format!("`{service}` is not a service")));
            };
            let methods: Vec<String> = descriptor
                .methods()
                .map(|m| format!("{service}/{}", m.name()))
                .collect();
            let text = if json {
                format!("{}\n", serde_json::json!(methods))
            } else {
                methods.iter().map(|m| format!("{m}\n")).collect()
            };
            write(out, &text)
        }
        Action::Describe(symbol) => {
            let pool = schema.pool_for(&symbol).await?;
            let text = if json {
                client::describe_json(&pool, &symbol).map(|v| format!("{v}\n"))
            } else {
                client::describe(&pool, &symbol)
            };
            let text = text.ok_or_else(|| Failure::Usage(format!("`{symbol}` is not defined")))?;
            write(out, &text)
        }
        Action::Call(name) => {
            let Some((service, _)) = client::split_method(&name) else {
                return Err(Failure::Usage(format!(
                    "`{name}` does not name a method: write package.Service/Method"
                )));
            };
            let pool = schema.pool_for(service).await?;
            let method = client::find_method(&pool, &name).map_err(Failure::Usage)?;
            let channel = channel.expect("calls connect");
            call(args, channel, &pool, &method, metadata, out, err)
                .await
                .map_err(|failure| match failure {
                    Failure::Status(status, None) => Failure::Status(status, Some(pool)),
                    other => other,
                })
        }
    }
}

/// Where the request messages come from.
enum Input {
    /// Messages read and checked before the call starts.
    Ready(Vec<DynamicMessage>),
    /// stdin or a pipe (`-d @<(producer)`, a FIFO), read as the call goes.
    Stream(Box<dyn std::io::Read + Send>, String),
}

/// A named pipe or other file that is read as it is written, not to its end first.
fn is_stream(path: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        std::fs::metadata(path).is_ok_and(|m| {
            let kind = m.file_type();
            kind.is_fifo() || kind.is_char_device() || kind.is_socket()
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

fn parse_messages(
    text: &str,
    desc: &MessageDescriptor,
    origin: &str,
) -> std::result::Result<Vec<DynamicMessage>, String> {
    let mut messages = Vec::new();
    for (n, value) in serde_json::Deserializer::from_str(text)
        .into_iter::<serde_json::Value>()
        .enumerate()
    {
        let value = value.map_err(|e| format!("{origin}: message {}: {e}", n + 1))?;
        let message =
            from_json(desc, value).map_err(|e| format!("{origin}: message {}: {}", n + 1, e.0))?;
        messages.push(message);
    }
    Ok(messages)
}

fn input(args: &CallArgs, method: &MethodDescriptor) -> std::result::Result<Input, String> {
    let desc = method.input();
    let single = !method.is_client_streaming();
    let messages = match args.data.as_deref() {
        None if single => vec![DynamicMessage::new(desc)],
        None => Vec::new(),
        Some("@-") | Some("@") => {
            return Ok(Input::Stream(Box::new(std::io::stdin()), "stdin".into()));
        }
        Some(data) => match data.strip_prefix('@') {
            Some(file) if is_stream(file.as_ref()) => {
                let pipe = std::fs::File::open(file).map_err(|e| format!("{file}: {e}"))?;
                return Ok(Input::Stream(Box::new(pipe), file.to_owned()));
            }
            Some(file) => {
                let text = std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}"))?;
                parse_messages(&text, &desc, file)?
            }
            None => parse_messages(data, &desc, "-d")?,
        },
    };
    if single && messages.len() != 1 {
        return Err(format!(
            "`{}` takes one request message; -d has {}",
            method.full_name(),
            messages.len()
        ));
    }
    Ok(Input::Ready(messages))
}

/// Why the input stopped, and its sender: held until the call is aborted, so the request
/// stream never ends cleanly before that.
type InputFailure = (String, mpsc::Sender<DynamicMessage>);

/// Reads `source` as a stream of JSON messages into `requests`; the first bad one ends it with
/// the reason on `failed`.
fn pump(
    source: Box<dyn std::io::Read + Send>,
    origin: &str,
    desc: MessageDescriptor,
    single: bool,
    requests: mpsc::Sender<DynamicMessage>,
    failed: oneshot::Sender<InputFailure>,
) {
    let mut count = 0usize;
    let reader = std::io::BufReader::new(source);
    for value in serde_json::Deserializer::from_reader(reader).into_iter::<serde_json::Value>() {
        count += 1;
        let message = value
            .map_err(|e| format!("{origin}: message {count}: {e}"))
            .and_then(|value| {
                from_json(&desc, value).map_err(|e| format!("{origin}: message {count}: {}", e.0))
            });
        let message = match message {
            Ok(_) if single && count > 1 => {
                let why = format!("the method takes one request message; {origin} has more");
                let _ = failed.send((why, requests));
                return;
            }
            Ok(message) => message,
            Err(why) => {
                let _ = failed.send((why, requests));
                return;
            }
        };
        if requests.blocking_send(message).is_err() {
            // The call ended.
            return;
        }
    }
    if single && count == 0 {
        let why = format!("the method takes one request message; {origin} has none");
        let _ = failed.send((why, requests));
    }
}

async fn call(
    args: &CallArgs,
    channel: Channel,
    pool: &DescriptorPool,
    method: &MethodDescriptor,
    metadata: MetadataMap,
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
) -> std::result::Result<(), Failure> {
    let input = input(args, method).map_err(Failure::Usage)?;
    let (requests, receiver) = mpsc::channel(16);
    let (failed_tx, mut failed) = oneshot::channel::<InputFailure>();
    match input {
        Input::Ready(messages) => {
            drop(failed_tx);
            tokio::spawn(async move {
                for message in messages {
                    if requests.send(message).await.is_err() {
                        break;
                    }
                }
            });
        }
        Input::Stream(source, origin) => {
            let desc = method.input();
            let single = !method.is_client_streaming();
            std::thread::spawn(move || pump(source, &origin, desc, single, requests, failed_tx));
        }
    }
    let (abort, aborted) = oneshot::channel();
    let options = prost_reflect::SerializeOptions::new().skip_default_fields(!args.emit_defaults);
    let text = args.format == Some(CallFormat::Text);
    let drive = async {
        let response = client::start(
            channel,
            method,
            receiver,
            metadata,
            args.timeout,
            args.max_message_size,
            aborted,
        )
        .await?;
        if args.verbose {
            let _ = write_metadata(err, "Response headers", response.metadata());
        }
        let mut stream = response.into_inner();
        loop {
            match stream.message().await {
                Ok(Some(message)) => {
                    let mut line = if text {
                        message.to_text_format()
                    } else {
                        let mut buf = Vec::new();
                        let mut serializer = serde_json::Serializer::new(&mut buf);
                        message
                            .serialize_with_options(&mut serializer, &options)
                            .map_err(|e| Failure::Usage(format!("cannot print a response: {e}")))?;
                        String::from_utf8(buf).unwrap_or_default()
                    };
                    line.push('\n');
                    out.write_all(line.as_bytes())
                        .and_then(|()| out.flush())
                        .map_err(|e| Failure::Usage(format!("cannot write the output: {e}")))?;
                }
                Ok(None) => break,
                Err(status) => return Err(Failure::Status(status, Some(pool.clone()))),
            }
        }
        if args.verbose
            && let Ok(Some(trailers)) = stream.trailers().await
        {
            let _ = write_metadata(err, "Response trailers", &trailers);
        }
        Ok(())
    };
    // Bad input on stdin stops the call wherever it is (even before the response headers,
    // which a client-streaming server sends only at the end).
    tokio::select! {
        biased;
        Ok((why, _open)) = &mut failed => {
            // The server sees a reset stream, not a clean end of input: `_open` keeps the
            // request stream from ending until the abort.
            let _ = abort.send(());
            Err(Failure::Usage(why))
        }
        result = drive => result,
    }
}
