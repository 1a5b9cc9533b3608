//! Record identifiers.
//!
//! Every record carries a UUIDv7 that the client may generate before it ever talks to the
//! server (offline capture is on the roadmap). Version 7 ids sort by creation time, which
//! keeps B-tree inserts local on both SQLite and PostgreSQL.

use uuid::Uuid;

/// A fresh, time-ordered id. Works in the browser too (the `js` feature wires the RNG).
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// Parses an id sent by a client and insists on version 7, so that ids stay time-ordered
/// and a client cannot smuggle in, say, a nil id.
pub fn parse_client_id(text: &str) -> Result<Uuid, IdError> {
    let id = Uuid::parse_str(text.trim()).map_err(|_| IdError::Malformed)?;
    match id.get_version_num() {
        7 => Ok(id),
        _ => Err(IdError::NotVersion7),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("Mã bản ghi không hợp lệ.")]
    Malformed,
    #[error("Mã bản ghi phải là UUID phiên bản 7.")]
    NotVersion7,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_version_7_and_increase() {
        let a = new_id();
        let b = new_id();
        assert_eq!(a.get_version_num(), 7);
        assert!(b > a, "v7 ids must sort by creation time");
    }

    #[test]
    fn a_client_id_must_be_a_v7_uuid() {
        let id = new_id();
        assert_eq!(parse_client_id(&id.to_string()), Ok(id));
        assert_eq!(parse_client_id("not-a-uuid"), Err(IdError::Malformed));
        assert_eq!(
            parse_client_id("67e55044-10b1-426f-9247-bb680e5fe0c8"),
            Err(IdError::NotVersion7)
        );
        assert_eq!(
            parse_client_id(&Uuid::nil().to_string()),
            Err(IdError::NotVersion7)
        );
    }
}
