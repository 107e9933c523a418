//! Error mapping: what a handler returns on failure, and how it becomes a gRPC status.

use std::fmt;

use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A failed call, in the standard gRPC vocabulary.
///
/// Build one with the constructor named after the status code
/// (`ServiceError::not_found("product p-1 does not exist")`). Everything but `internal` (and
/// `unknown` statuses a handler passes through) reaches the client with its message; an internal
/// error's cause is logged with the request id and the client gets a generic message naming that
/// id, never the cause.
pub struct ServiceError {
    code: Code,
    message: String,
    violations: Vec<(String, String)>,
    retry_after: Option<std::time::Duration>,
    cause: Option<Cause>,
}

impl ServiceError {
    fn new(code: Code, message: impl Into<String>) -> ServiceError {
        ServiceError {
            code,
            message: message.into(),
            violations: Vec::new(),
            retry_after: None,
            cause: None,
        }
    }

    /// Tells the client when to try again (a `google.rpc.RetryInfo` detail): generated clients
    /// retry UNAVAILABLE and RESOURCE_EXHAUSTED after that long, for methods safe to repeat.
    pub fn retry_after(mut self, delay: std::time::Duration) -> Self {
        self.retry_after = Some(delay);
        self
    }

    /// INVALID_ARGUMENT. Add the fields at fault with [`ServiceError::field`]; they are sent as
    /// `google.rpc.BadRequest` field violations.
    pub fn invalid_argument(message: impl Into<String>) -> ServiceError {
        ServiceError::new(Code::InvalidArgument, message)
    }

    /// Adds a field violation (`field` is a path such as `product.name`).
    pub fn field(mut self, field: impl Into<String>, description: impl Into<String>) -> Self {
        self.violations.push((field.into(), description.into()));
        self
    }

    /// NOT_FOUND.
    pub fn not_found(message: impl Into<String>) -> ServiceError {
        ServiceError::new(Code::NotFound, message)
    }

    /// ALREADY_EXISTS.
    pub fn already_exists(message: impl Into<String>) -> ServiceError {
        ServiceError::new(Code::AlreadyExists, message)
    }

    /// PERMISSION_DENIED: the caller is known but may not do this.
    pub fn permission_denied(message: impl Into<String>) -> ServiceError {
        ServiceError::new(Code::PermissionDenied, message)
    }

    /// UNAUTHENTICATED: no valid credentials.
    pub fn unauthenticated(message: impl Into<String>) -> ServiceError {
        ServiceError::new(Code::Unauthenticated, message)
    }

    /// FAILED_PRECONDITION.
    pub fn failed_precondition(message: impl Into<String>) -> ServiceError {
        ServiceError::new(Code::FailedPrecondition, message)
    }

    /// RESOURCE_EXHAUSTED.
    pub fn resource_exhausted(message: impl Into<String>) -> ServiceError {
        ServiceError::new(Code::ResourceExhausted, message)
    }

    /// UNIMPLEMENTED.
    pub fn unimplemented(message: impl Into<String>) -> ServiceError {
        ServiceError::new(Code::Unimplemented, message)
    }

    /// DEADLINE_EXCEEDED.
    pub fn deadline_exceeded(message: impl Into<String>) -> ServiceError {
        ServiceError::new(Code::DeadlineExceeded, message)
    }

    /// UNAVAILABLE: try again later.
    pub fn unavailable(message: impl Into<String>) -> ServiceError {
        ServiceError::new(Code::Unavailable, message)
    }

    /// INTERNAL. The cause is logged, never sent.
    pub fn internal(cause: impl Into<Cause>) -> ServiceError {
        let mut error = ServiceError::new(Code::Internal, "internal error");
        error.cause = Some(cause.into());
        error
    }

    /// The status code this error maps to.
    pub fn code(&self) -> Code {
        self.code
    }

    /// The message the client sees (for internal errors, a generic one).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the client must not see this error's text.
    pub fn is_internal(&self) -> bool {
        matches!(
            self.code,
            Code::Internal | Code::Unknown | Code::DataLoss | Code::Ok
        )
    }

    /// The status sent to the client. Internal errors are logged here, with their cause and the
    /// request id, and answered with a message that names only the request id.
    pub fn into_status(self, method: &str, request_id: &str) -> Status {
        if self.is_internal() {
            let cause = match &self.cause {
                Some(cause) => format!("{cause}"),
                None => self.message.clone(),
            };
            tracing::error!(method, request_id, code = ?self.code, cause = %cause, "internal error");
            return Status::new(
                Code::Internal,
                format!("internal error (request id {request_id})"),
            );
        }
        if self.violations.is_empty() && self.retry_after.is_none() {
            return Status::new(self.code, self.message);
        }
        let mut details = ErrorDetails::new();
        if !self.violations.is_empty() {
            let violations: Vec<FieldViolation> = self
                .violations
                .into_iter()
                .map(|(field, description)| FieldViolation::new(field, description))
                .collect();
            details.set_bad_request(violations);
        }
        if let Some(delay) = self.retry_after {
            details.set_retry_info(Some(delay));
        }
        Status::with_error_details(self.code, self.message, details)
    }
}

impl fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceError")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("violations", &self.violations)
            .field("cause", &self.cause.as_ref().map(|c| c.to_string()))
            .finish()
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)?;
        if let Some(cause) = &self.cause {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_ref()
            .map(|c| c.as_ref() as &(dyn std::error::Error + 'static))
    }
}

/// A handler's error type: anything that says which [`ServiceError`] it is. Implement this one
/// trait for your own error type.
///
/// ```
/// use protoforge::runtime::{IntoServiceError, ServiceError};
///
/// enum StoreError {
///     Missing(String),
///     Database(std::io::Error),
/// }
///
/// impl IntoServiceError for StoreError {
///     fn into_service_error(self) -> ServiceError {
///         match self {
///             StoreError::Missing(name) => ServiceError::not_found(format!("no product `{name}`")),
///             // Logged with the request id; the caller sees only INTERNAL.
///             StoreError::Database(err) => ServiceError::internal(err),
///         }
///     }
/// }
/// ```
pub trait IntoServiceError: Send + 'static {
    /// The status this error answers the caller with.
    fn into_service_error(self) -> ServiceError;
}

impl IntoServiceError for ServiceError {
    fn into_service_error(self) -> ServiceError {
        self
    }
}

/// A `tonic::Status` passes through; an internal one is still sanitised.
impl IntoServiceError for Status {
    fn into_service_error(self) -> ServiceError {
        let mut error = ServiceError::new(self.code(), self.message());
        if error.is_internal() {
            error.cause = Some(self.message().to_owned().into());
            error.code = Code::Internal;
        }
        error
    }
}

/// `error` and its sources as `outer: inner: ...`, leaving out a source whose text the chain
/// already ends with (hyper and tonic often repeat their source's message).
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let inner_text = inner.to_string();
        if !text.ends_with(&inner_text) {
            text = format!("{text}: {inner_text}");
        }
        source = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_travels_as_retry_info_beside_field_violations() {
        let status = ServiceError::resource_exhausted("busy")
            .retry_after(std::time::Duration::from_millis(75))
            .into_status("/a.v1.S/M", "r-1");
        assert_eq!(status.code(), Code::ResourceExhausted);
        assert_eq!(
            status.get_details_retry_info().and_then(|i| i.retry_delay),
            Some(std::time::Duration::from_millis(75))
        );
        let both = ServiceError::invalid_argument("bad")
            .field("name", "empty")
            .retry_after(std::time::Duration::from_secs(1))
            .into_status("/a.v1.S/M", "r-1");
        assert_eq!(
            both.get_details_bad_request()
                .unwrap()
                .field_violations
                .len(),
            1
        );
        assert!(both.get_details_retry_info().is_some());
    }

    #[test]
    fn internal_cause_does_not_reach_the_status() {
        let status = ServiceError::internal("db password rejected for user admin")
            .into_status("/a.v1.S/M", "req-7");
        assert_eq!(status.code(), Code::Internal);
        assert_eq!(status.message(), "internal error (request id req-7)");
        let unknown = Status::unknown("stack trace at foo.rs:12").into_service_error();
        let status = unknown.into_status("/a.v1.S/M", "req-8");
        assert_eq!(status.code(), Code::Internal);
        assert!(!status.message().contains("foo.rs"));
    }

    #[test]
    fn field_violations_become_bad_request_details() {
        let status = ServiceError::invalid_argument("bad product")
            .field("product.name", "must not be empty")
            .into_status("/a.v1.S/M", "r");
        assert_eq!(status.code(), Code::InvalidArgument);
        let details = status.get_error_details();
        let bad = details.bad_request().expect("BadRequest detail");
        assert_eq!(bad.field_violations[0].field, "product.name");
        assert_eq!(bad.field_violations[0].description, "must not be empty");
    }

    #[test]
    fn every_public_code_keeps_its_message() {
        let cases = [
            (ServiceError::not_found("x"), Code::NotFound),
            (ServiceError::already_exists("x"), Code::AlreadyExists),
            (ServiceError::permission_denied("x"), Code::PermissionDenied),
            (ServiceError::unauthenticated("x"), Code::Unauthenticated),
            (
                ServiceError::failed_precondition("x"),
                Code::FailedPrecondition,
            ),
            (
                ServiceError::resource_exhausted("x"),
                Code::ResourceExhausted,
            ),
            (ServiceError::unimplemented("x"), Code::Unimplemented),
            (ServiceError::deadline_exceeded("x"), Code::DeadlineExceeded),
            (ServiceError::unavailable("x"), Code::Unavailable),
        ];
        for (error, code) in cases {
            let status = error.into_status("m", "r");
            assert_eq!((status.code(), status.message()), (code, "x"));
        }
    }
}
