//! Vietnamese text: canonical names and the accent-free search key.
//!
//! People type names on phones with or without diacritics, and the same visible name can
//! arrive in composed (NFC) or decomposed (NFD) form from different keyboards and Excel
//! files. Names are stored in NFC; searches and duplicate checks use [`search_key`].

mod collation;

pub use collation::collation_key;
use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};

/// The canonical form of a person's or place's name: NFC, trimmed, single spaces.
pub fn canonical_name(raw: &str) -> String {
    let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.nfc().collect()
}

/// An accent-free, lower-case key: "Nguyễn Thị  Hoà" → "nguyen thi hoa".
///
/// Strips every combining mark after canonical decomposition and folds "đ"/"Đ" (a letter
/// of its own, not a d with a mark, so NFD leaves it alone) to "d".
pub fn search_key(raw: &str) -> String {
    build_key(raw.nfd().filter(|c| !is_combining_mark(*c)), |c| match c {
        'đ' => 'd',
        other => other,
    })
}

/// Lower-cases `chars`, maps each through `base`, and keeps single spaces between words:
/// the one loop behind both keys, so they cannot drift apart on spacing or case.
fn build_key(chars: impl Iterator<Item = char>, base: impl Fn(char) -> char) -> String {
    let mut key = String::new();
    let mut pending_space = false;
    for ch in chars.flat_map(char::to_lowercase) {
        if ch.is_whitespace() {
            pending_space = !key.is_empty();
            continue;
        }
        if pending_space {
            key.push(' ');
            pending_space = false;
        }
        key.push(base(ch));
    }
    key
}

/// Vietnamese vowels with their tone and shape marks, by base letter (lower case).
const VIETNAMESE_VOWELS: [(&str, char); 6] = [
    ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
    ("èéẻẽẹêềếểễệ", 'e'),
    ("ìíỉĩị", 'i'),
    ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
    ("ùúủũụưừứửữự", 'u'),
    ("ỳýỷỹỵ", 'y'),
];

/// The same key as [`search_key`] for Vietnamese text, without Unicode normalisation
/// tables: for the browser, where those tables would weigh more than the code using them.
/// Combining marks (a decomposed keyboard's input) are dropped; precomposed Vietnamese
/// letters map to their base letter.
pub fn fold_key(raw: &str) -> String {
    let combining = '\u{0300}'..='\u{036f}';
    build_key(
        raw.chars().filter(|c| !combining.contains(c)),
        |c| match c {
            'đ' => 'd',
            c if c.is_ascii() => c,
            c => VIETNAMESE_VOWELS
                .iter()
                .find(|(marked, _)| marked.contains(c))
                .map_or(c, |(_, base)| *base),
        },
    )
}

/// Whether every word of the query is a prefix of some word of the key, in order of the
/// query: "ng hoa" matches "nguyen thi hoa". Both sides must already be search keys.
pub fn key_matches(key: &str, query_key: &str) -> bool {
    let mut words = key.split(' ');
    query_key
        .split(' ')
        .filter(|q| !q.is_empty())
        .all(|q| words.any(|w| w.starts_with(q)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_light_browser_key_equals_the_full_key_for_vietnamese() {
        let letters = "aàáảãạăằắẳẵặâầấẩẫậ eèéẻẽẹêềếểễệ iìíỉĩị oòóỏõọôồốổỗộơờớởỡợ \
                       uùúủũụưừứửữự yỳýỷỹỵ đ";
        let samples = [
            letters.to_owned(),
            letters.to_uppercase(),
            letters.nfd().collect::<String>(),
            "  Nguyễn  Thị Hoà  · Xã Ea Kao, Phường Buôn Ma Thuột ".to_owned(),
            "H'Yên Niê, Y Bhin Êban, ĐẶNG VĂN ĐỨC"
                .nfd()
                .collect::<String>(),
        ];
        for sample in samples {
            assert_eq!(fold_key(&sample), search_key(&sample), "{sample}");
        }
    }

    #[test]
    fn the_search_key_drops_tones_and_folds_d_with_stroke() {
        assert_eq!(search_key("Nguyễn Thị Hoa"), "nguyen thi hoa");
        assert_eq!(search_key("ĐẶNG VĂN ĐỨC"), "dang van duc");
        assert_eq!(search_key("Buôn Ma Thuột"), "buon ma thuot");
        assert_eq!(search_key("Ea H'Leo"), "ea h'leo");
    }

    #[test]
    fn composed_and_decomposed_input_give_the_same_key() {
        let composed = "Hòa Phú";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(composed, decomposed);
        assert_eq!(search_key(composed), search_key(&decomposed));
        assert_eq!(canonical_name(&decomposed), composed);
    }

    #[test]
    fn whitespace_is_collapsed_in_names_and_keys() {
        assert_eq!(canonical_name("  Trần   Văn\tAn "), "Trần Văn An");
        assert_eq!(search_key("  Trần   Văn\tAn "), "tran van an");
    }

    #[test]
    fn query_words_match_word_prefixes_in_order() {
        let key = search_key("Nguyễn Thị Hoa");
        assert!(key_matches(&key, "nguyen thi hoa"));
        assert!(key_matches(&key, "ng hoa"));
        assert!(key_matches(&key, ""));
        assert!(!key_matches(&key, "hoa nguyen"));
        assert!(!key_matches(&key, "hoan"));
    }
}
