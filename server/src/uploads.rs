//! `POST /nhap/tai-len`: a spreadsheet to import, sent by a plain multipart form (it works
//! without JavaScript). The file is stored for its preview at `/nhap/{id}`; nothing is
//! imported until the person confirms there.
//!
//! A browser is sent back to the form with a short reason code beside the file field; any
//! other client gets the status and the message.
//!
//! The file is read once here, within the limits of `kynangso_domain::import::file`,
//! before it is stored: one that breaks a limit is refused with 413, one that cannot be
//! read with 422, and neither is kept.

use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kynangso_app::AppError;
use kynangso_app::server::auth::caller_of;
use kynangso_data::DataError;
use kynangso_data::import::jobs::scope_for;
use kynangso_data::import::uploads::{self, Kind, NewUpload};
use kynangso_data::import::{FileProblem, table};

use crate::exports::ExportState;

/// Why an upload was refused: the code the page reads, the status, the message.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refusal {
    SignIn,
    Kind,
    NotAllowed,
    NoFile,
    TooLarge,
    Unreadable,
    /// The file arrived but cannot be read, or breaks a limit.
    File(FileProblem),
    Server,
}

impl Refusal {
    /// The code the form reads from `?loi=`; a file's problem has its own query.
    fn code(&self) -> &'static str {
        match self {
            Refusal::SignIn => "dang-nhap",
            Refusal::Kind => "loai",
            Refusal::NotAllowed => "quyen",
            Refusal::NoFile => "trong",
            Refusal::TooLarge => "qua-lon",
            Refusal::Unreadable => "doc",
            Refusal::File(_) | Refusal::Server => "may-chu",
        }
    }

    /// The query of the form's address.
    fn query(&self) -> String {
        match self {
            Refusal::File(problem) => problem.query(),
            other => format!("loi={}", other.code()),
        }
    }

    fn message(&self) -> String {
        match self {
            Refusal::File(problem) => problem.to_string(),
            other => kynangso_app::pages::imports::refusal_message(other.code()).to_owned(),
        }
    }

    /// The error this refusal is, whose status any other client gets.
    fn error(&self) -> AppError {
        match self {
            Refusal::File(problem) if problem.is_limit() => AppError::TooLarge(self.message()),
            Refusal::TooLarge => AppError::TooLarge(self.message()),
            Refusal::SignIn => AppError::Unauthenticated,
            Refusal::NotAllowed => AppError::Forbidden,
            Refusal::Server => AppError::Internal,
            Refusal::Kind => AppError::invalid("loai", self.message()),
            Refusal::File(_) | Refusal::NoFile | Refusal::Unreadable => {
                AppError::invalid("tep", self.message())
            }
        }
    }
}

pub async fn upload(State(state): State<ExportState>, request: Request) -> Response {
    let wants_page = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    match store(&state, request).await {
        Ok(id) => Redirect::to(&format!("/nhap/{id}")).into_response(),
        Err(refusal) if wants_page => {
            Redirect::to(&format!("/nhap?{}", refusal.query())).into_response()
        }
        Err(refusal) => (
            refusal.error().http_status(),
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            refusal.message(),
        )
            .into_response(),
    }
}

async fn store(state: &ExportState, request: Request) -> Result<uuid::Uuid, Refusal> {
    let (parts, body) = request.into_parts();
    let caller = caller_of(&state.db, &state.auth, &parts)
        .await
        .map_err(|_| Refusal::SignIn)?;
    let mut form = Multipart::from_request(Request::from_parts(parts, body), &())
        .await
        .map_err(|_| Refusal::Unreadable)?;
    let (mut kind, mut file) = (None, None);
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) if error.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(Refusal::TooLarge);
            }
            Err(_) => return Err(Refusal::Unreadable),
        };
        match field.name() {
            Some("loai") => {
                let text = field.text().await.map_err(|_| Refusal::Unreadable)?;
                kind = Some(Kind::parse(text.trim()).ok_or(Refusal::Kind)?);
            }
            Some("tep") => {
                let name = field.file_name().unwrap_or("tệp").to_owned();
                let bytes = field.bytes().await.map_err(|error| {
                    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        Refusal::TooLarge
                    } else {
                        Refusal::Unreadable
                    }
                })?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let kind = kind.ok_or(Refusal::Kind)?;
    let scope = scope_for(&caller, kind).map_err(|_| Refusal::NotAllowed)?;
    let (file_name, content) = file.filter(|(_, b)| !b.is_empty()).ok_or(Refusal::NoFile)?;
    let (content, checked) = tokio::task::spawn_blocking(move || {
        let checked = table::check(&content);
        (content, checked)
    })
    .await
    .map_err(|_| Refusal::Server)?;
    checked.map_err(Refusal::File)?;
    uploads::save(
        &state.db,
        NewUpload {
            kind,
            file_name,
            content,
            uploaded_by: caller.user_id,
            scope_unit_id: scope,
        },
    )
    .await
    .map_err(|error| match error {
        DataError::InvalidField { .. } => Refusal::TooLarge,
        other => {
            tracing::error!(error = %other, "storing an upload failed");
            Refusal::Server
        }
    })
}
