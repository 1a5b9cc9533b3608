//! Rules for user names and passwords, shared by the sign-up form and the server.
//!
//! Passwords follow NIST SP 800-63B: a minimum length (12 here, pass-phrases welcome), no
//! composition rules, and a refusal of passwords that appear on common-password lists.

use serde::{Deserialize, Serialize};

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A few of the most common passwords of 12+ characters, including Vietnamese favourites.
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "123456789abc",
    "qwertyuiop12",
    "qwertyuiopas",
    "password1234",
    "password12345",
    "passwordpassword",
    "matkhau12345",
    "matkhaumoi123",
    "123123123123",
    "111111111111",
    "000000000000",
    "abc123456789",
    "iloveyou1234",
    "anhyeuem1234",
    "anhyeuem12345",
    "emyeuanh1234",
    "admin1234567",
    "administrator",
    "kynangso1234",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PasswordProblem {
    #[error("Mật khẩu cần ít nhất 12 ký tự; một câu dễ nhớ là lựa chọn tốt.")]
    TooShort,
    #[error("Mật khẩu dài tối đa 128 ký tự.")]
    TooLong,
    #[error("Mật khẩu này quá phổ biến, hãy chọn mật khẩu khác.")]
    TooCommon,
}

pub fn check_password(password: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lowered = password.to_lowercase();
    let same_char = lowered.chars().all(|c| lowered.starts_with(c));
    if same_char || COMMON.contains(&lowered.as_str()) {
        return Err(PasswordProblem::TooCommon);
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum UsernameProblem {
    #[error("Tên đăng nhập dài 3–40 ký tự.")]
    Length,
    #[error(
        "Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang."
    )]
    Characters,
}

/// A user name: 3–40 of `a-z 0-9 . _ -`, stored lower-case so sign-in ignores case.
pub fn parse_username(raw: &str) -> Result<String, UsernameProblem> {
    let name = raw.trim().to_lowercase();
    let allowed =
        |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-');
    if !name.chars().all(allowed) {
        return Err(UsernameProblem::Characters);
    }
    if !(3..=40).contains(&name.len()) {
        return Err(UsernameProblem::Length);
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_needs_twelve_characters_counted_as_characters_not_bytes() {
        assert_eq!(check_password("ngắn quá"), Err(PasswordProblem::TooShort));
        // 12 characters, more than 12 bytes because of the diacritics.
        assert_eq!(check_password("đồng lúa xanh"), Ok(()));
        assert_eq!(
            check_password(&"a".repeat(129)),
            Err(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn common_and_repetitive_passwords_are_refused() {
        assert_eq!(
            check_password("Password1234"),
            Err(PasswordProblem::TooCommon)
        );
        assert_eq!(
            check_password("zzzzzzzzzzzzzz"),
            Err(PasswordProblem::TooCommon)
        );
        assert_eq!(check_password("con mèo trèo cây cau"), Ok(()));
    }

    #[test]
    fn usernames_are_lowercased_and_limited_to_safe_characters() {
        assert_eq!(
            parse_username("  To.Truong_HoaPhu "),
            Ok("to.truong_hoaphu".to_owned())
        );
        assert_eq!(parse_username("ab"), Err(UsernameProblem::Length));
        assert_eq!(
            parse_username("người dùng"),
            Err(UsernameProblem::Characters)
        );
    }
}
