//! Reads a spreadsheet the way an import does and prints what came of it, how long it
//! took and how many rows and cells it held. Run under `/usr/bin/time -v` to see the
//! memory a file costs: `cargo run --release -p kynangso-data --example read_table FILE`.

use std::time::Instant;

use kynangso_data::import::{Source, table};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: read_table FILE");
        std::process::exit(2);
    };
    let started = Instant::now();
    let mut rows = table::open(Source::File(path.into()));
    let (mut count, mut cells) = (0u64, 0u64);
    let mut outcome = "read".to_owned();
    while let Some(row) = rows.next().await {
        match row {
            Ok(row) => {
                count += 1;
                cells += row.cells.len() as u64;
            }
            Err(problem) => {
                outcome = format!("refused: {problem}");
                break;
            }
        }
    }
    println!(
        "{outcome}; {count} rows, {cells} cells, {:.2} s",
        started.elapsed().as_secs_f64()
    );
}
