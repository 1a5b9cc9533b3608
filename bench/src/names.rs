//! Vietnamese names with realistic repetition: a few family names cover most people
//! (Nguyễn alone about a third), middle names mark sex, and given names repeat often; one
//! in ten follows Ê Đê / M'nông patterns common in Đắk Lắk (H'…, Y …).

use rand::Rng;
use rand::seq::SliceRandom;

/// Family names with rough weights (per mille).
const FAMILY: [(&str, u32); 16] = [
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 50),
    ("Huỳnh", 40),
    ("Phan", 40),
    ("Vũ", 35),
    ("Võ", 35),
    ("Đặng", 25),
    ("Bùi", 25),
    ("Đỗ", 20),
    ("Hồ", 20),
    ("Ngô", 20),
    ("Dương", 20),
    ("Lý", 15),
];
const MIDDLE_F: [&str; 6] = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh"];
const MIDDLE_M: [&str; 6] = ["Văn", "Văn", "Hữu", "Đức", "Minh", "Quang"];
const GIVEN_F: [&str; 16] = [
    "Hoa", "Hoà", "Lan", "Mai", "Hương", "Hằng", "Thảo", "Trang", "Linh", "Ngọc", "Nhung", "Yến",
    "Phương", "Thủy", "Hà", "Hạnh",
];
const GIVEN_M: [&str; 16] = [
    "Minh", "Hùng", "Dũng", "Tuấn", "Nam", "Hải", "Long", "Quân", "Sơn", "Thắng", "Phúc", "Huy",
    "Khoa", "Đạt", "Bình", "Trung",
];
const EDE_F: [&str; 8] = [
    "H'Yên", "H'Mai", "H'Linh", "H'Ben", "H'Loan", "H'Nga", "H'Xuân", "H'Hiên",
];
const EDE_M: [&str; 8] = [
    "Y Bhin",
    "Y Khuê",
    "Y Thuật",
    "Y Sang",
    "Y Ngông",
    "Y Jut",
    "Y Mông",
    "Y Blang",
];
const EDE_CLAN: [&str; 8] = ["Niê", "Êban", "Mlô", "Ayun", "Byă", "Knul", "Hđơk", "Êya"];

fn weighted_family(rng: &mut impl Rng) -> &'static str {
    let total: u32 = FAMILY.iter().map(|(_, w)| w).sum();
    let mut pick = rng.gen_range(0..total);
    for (name, weight) in FAMILY {
        if pick < weight {
            return name;
        }
        pick -= weight;
    }
    FAMILY[0].0
}

/// A full name in NFC for someone of the given sex.
pub fn full_name(rng: &mut impl Rng, female: bool) -> String {
    let pick = |list: &[&'static str], rng: &mut _| *list.choose(rng).unwrap_or(&list[0]);
    if rng.gen_ratio(1, 10) {
        let given = if female {
            pick(&EDE_F, rng)
        } else {
            pick(&EDE_M, rng)
        };
        return format!("{given} {}", pick(&EDE_CLAN, rng));
    }
    let family = weighted_family(rng);
    let (middle, given) = if female {
        (pick(&MIDDLE_F, rng), pick(&GIVEN_F, rng))
    } else {
        (pick(&MIDDLE_M, rng), pick(&GIVEN_M, rng))
    };
    format!("{family} {middle} {given}")
}

/// Search queries a team member would type, without diacritics.
pub const QUERIES: [&str; 10] = [
    "nguyen thi hoa",
    "tran van",
    "le minh",
    "hoa",
    "h'yen",
    "y bhin nie",
    "pham duc thang",
    "1985",
    "0912",
    "dang thi lan",
];
