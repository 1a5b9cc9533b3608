//! The one error type that crosses the wire. It says what the person can act on, in
//! Vietnamese; internal details stay in the server's log.

use leptos::server_fn::Bytes;
use leptos::server_fn::Encodes;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

pub use kynangso_domain::FieldError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Vui lòng đăng nhập.")]
    Unauthenticated,
    #[error("Tên đăng nhập hoặc mật khẩu không đúng.")]
    SignInFailed,
    #[error("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút.")]
    TooManyAttempts { minutes: i64 },
    /// Also the answer for records outside the caller's scope, so that their existence
    /// is not revealed.
    #[error("Không tìm thấy.")]
    NotFound,
    /// The caller's role may not do this.
    #[error("Bạn không có quyền thực hiện việc này.")]
    Forbidden,
    /// Signed in with a temporary password: only changing it is allowed.
    #[error("Vui lòng đổi mật khẩu tạm thời trước khi tiếp tục.")]
    PasswordChangeRequired,
    #[error("Dữ liệu chưa hợp lệ.")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    /// A file or request beyond a size limit; the message names the limit.
    #[error("{0}")]
    TooLarge(String),
    #[error("Máy chủ đang bận hoặc gặp sự cố, vui lòng thử lại.")]
    Internal,
    #[error("Không gửi được yêu cầu: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status the server answers with for this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::SignInFailed => 401,
            AppError::TooManyAttempts { .. } => 429,
            AppError::NotFound => 404,
            AppError::Forbidden | AppError::PasswordChangeRequired => 403,
            AppError::Invalid(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::TooLarge(_) => 413,
            AppError::Internal => 500,
            AppError::Transport(_) => 400,
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }

    /// The field problems, when this is a validation error.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Invalid(errors) => errors,
            _ => &[],
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // A malformed request body is the client's fault: a 400, never a 500.
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                AppError::Transport(msg)
            }
            ServerFnErrorErr::Request(msg) => AppError::Transport(msg),
            _ => AppError::Internal,
        }
    }

    /// Encodes the error for the response. On the server this is also where a server
    /// function's HTTP status is decided, for every error it returns, including the ones
    /// the framework raises before the function runs (a body it cannot decode).
    fn ser(&self) -> Bytes {
        #[cfg(feature = "ssr")]
        crate::server::answer_status(self);
        <JsonEncoding as Encodes<Self>>::encode(self)
            .unwrap_or_else(|_| Bytes::from_static(br#""Internal""#))
    }
}
