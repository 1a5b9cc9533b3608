//! Vietnamese alphabetical order, for lists of names people scan by eye.
//!
//! Sorting by character code puts "Đắk" and "Ông" after "Yên" (their letters are outside
//! ASCII). The Vietnamese alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư
//! v x y: letters with a breve, circumflex or horn are letters of their own, ordered after
//! the plain one. Tones only break ties between otherwise equal words, in dictionary order:
//! none, huyền (`), hỏi (?), ngã (~), sắc ('), nặng (.).

use unicode_normalization::UnicodeNormalization;

/// A key whose order is Vietnamese alphabetical order (case-insensitive): letters first,
/// then tones, then the text itself so that different spellings never compare equal.
pub fn collation_key(name: &str) -> (Vec<u32>, Vec<u8>, String) {
    let mut letters: Vec<u32> = Vec::new();
    let mut tones = Vec::new();
    for c in name.nfd().flat_map(char::to_lowercase) {
        match c {
            // A mark that makes a letter of its own: the letter sorts just after its base
            // (ă after a, then â; ơ after ô; ư after u).
            '\u{0306}' | '\u{0302}' | '\u{031B}' => {
                if let Some(last) = letters.last_mut() {
                    *last += match c {
                        '\u{0306}' => 1, // breve: ă
                        '\u{0302}' => 2, // circumflex: â ê ô
                        _ => 3,          // horn: ơ ư
                    };
                }
            }
            '\u{0300}' => set_tone(&mut tones, 1),
            '\u{0309}' => set_tone(&mut tones, 2),
            '\u{0303}' => set_tone(&mut tones, 3),
            '\u{0301}' => set_tone(&mut tones, 4),
            '\u{0323}' => set_tone(&mut tones, 5),
            'đ' => {
                letters.push(u32::from('d') * 4 + 1);
                tones.push(0);
            }
            other => {
                letters.push(u32::from(other) * 4);
                tones.push(0);
            }
        }
    }
    (letters, tones, name.to_owned())
}

/// The tone of the letter just read.
fn set_tone(tones: &mut [u8], tone: u8) {
    if let Some(last) = tones.last_mut() {
        *last = tone;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        names.sort_by_cached_key(|n| collation_key(n));
        names
    }

    #[test]
    fn the_alphabet_puts_each_marked_letter_after_its_base() {
        assert_eq!(
            sorted(&[
                "Xã Yang Mao",
                "Xã Đắk Liêng",
                "Xã Dray Bhăng",
                "Phường Ea Kao",
                "Xã Ô Loan",
                "Xã Ơ Lam",
                "Xã Ea Ktur"
            ]),
            [
                "Phường Ea Kao",
                "Xã Dray Bhăng",
                "Xã Đắk Liêng",
                "Xã Ea Ktur",
                "Xã Ô Loan",
                "Xã Ơ Lam",
                "Xã Yang Mao"
            ]
        );
        assert_eq!(
            sorted(&["ư", "u", "v", "ă", "â", "a", "b", "o", "ơ", "ô"]),
            ["a", "ă", "â", "b", "o", "ô", "ơ", "u", "ư", "v"]
        );
    }

    #[test]
    fn tones_only_break_ties_and_case_does_not_matter() {
        assert_eq!(
            sorted(&["ma", "mạ", "má", "mã", "mả", "mà", "mb"]),
            ["ma", "mà", "mả", "mã", "má", "mạ", "mb"]
        );
        assert!(
            collation_key("Hòa") < collation_key("Hoan"),
            "a tone never outweighs a letter"
        );
        assert!(
            collation_key("an") < collation_key("Bình"),
            "case does not matter"
        );
        // The same name composed or decomposed sorts the same.
        assert_eq!(
            collation_key("Đắk").0,
            collation_key("Đa\u{0306}\u{0301}k").0
        );
        assert_eq!(
            collation_key("Đắk").1,
            collation_key("Đa\u{0306}\u{0301}k").1
        );
    }
}
