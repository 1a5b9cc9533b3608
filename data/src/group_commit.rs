//! Group commit on SQLite: the marks of many phones share one transaction and one fsync.
//!
//! SQLite writes one transaction at a time, and with `synchronous = FULL` every commit
//! waits for an fsync (about 2.3 ms on this project's machines), more than the work of a
//! single tap. At a few hundred taps a second the writer spent its time waiting on the
//! disk. So a writer queues its work and takes the write gate ([`crate::db::write_gate`]'s
//! lock); whoever holds the gate next runs everything queued in one transaction, each
//! piece in a savepoint of its own (a piece that fails is rolled back alone), commits once,
//! and only then answers each writer. A piece alone in its transaction (the usual case
//! below a few hundred taps a second) needs no savepoint: if it fails, the transaction is
//! rolled back instead of committed, two statements fewer per write. Nobody hears "saved"
//! before the commit that holds their work. The wait for the gate and the run happen in a
//! spawned task, so a writer that gives up (a phone that hangs up) neither cuts the
//! others' transaction short nor leaves its own work queued.
//!
//! PostgreSQL flushes concurrent commits together by itself: there each piece of work is
//! simply its own transaction.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};

use sea_orm::{DatabaseConnection, DatabaseTransaction, DbErr, TransactionTrait};
use tokio::sync::oneshot;

use crate::DataError;
use crate::db::{Engine, engine};

/// A piece of work, borrowing the transaction it runs in.
pub type Work<'t, T> = Pin<Box<dyn Future<Output = Result<T, DataError>> + Send + 't>>;

/// Tells a writer the outcome once the shared transaction has committed (or failed to).
type Deliver = Box<dyn FnOnce(Result<(), &DbErr>) + Send>;
/// Runs a writer's work in the shared transaction: in a savepoint of its own unless it is
/// `alone` there. Returns whether the work succeeded, and how to tell the writer.
type Job = Box<
    dyn for<'t> FnOnce(
            &'t DatabaseTransaction,
            bool,
        ) -> Pin<Box<dyn Future<Output = (bool, Deliver)> + Send + 't>>
        + Send,
>;

struct Queued {
    /// The database file: tests run many databases in one process, and only work for the
    /// same file can share a transaction.
    file: PathBuf,
    db: DatabaseConnection,
    job: Job,
}

static QUEUE: LazyLock<Mutex<Vec<Queued>>> = LazyLock::new(Mutex::default);

/// Shared transactions committed and the pieces of work they held, since the process
/// started (SQLite only): the benchmarks print the ratio.
static TRANSACTIONS: AtomicU64 = AtomicU64::new(0);
static PIECES: AtomicU64 = AtomicU64::new(0);

/// (transactions, pieces of work) run through the queue so far in this process.
pub fn totals() -> (u64, u64) {
    (
        TRANSACTIONS.load(Ordering::Relaxed),
        PIECES.load(Ordering::Relaxed),
    )
}

/// Runs `work` in a transaction and returns its result once that transaction committed.
/// On SQLite the transaction may be shared with other writers' work (see the module).
pub async fn write<T, F>(db: &DatabaseConnection, work: F) -> Result<T, DataError>
where
    T: Send + 'static,
    F: for<'t> FnOnce(&'t DatabaseTransaction) -> Work<'t, T> + Send + 'static,
{
    if engine(db) == Engine::Postgres {
        let txn = db.begin().await?;
        let value = work(&txn).await?;
        txn.commit().await?;
        return Ok(value);
    }
    let (sender, receiver) = oneshot::channel();
    let job: Job = Box::new(move |txn, alone| {
        Box::pin(async move {
            let outcome = if alone {
                // Its failure rolls back the whole transaction: no savepoint needed.
                work(txn).await
            } else {
                in_savepoint(txn, work).await
            };
            let succeeded = outcome.is_ok();
            let deliver: Deliver = Box::new(move |committed| {
                let answer = match committed {
                    Ok(()) => outcome,
                    Err(error) => outcome.and(Err(commit_failed(error))),
                };
                let _ = sender.send(answer);
            });
            (succeeded, deliver)
        })
    });
    let file = db
        .get_sqlite_connection_pool()
        .connect_options()
        .get_filename()
        .to_path_buf();
    lock_queue().push(Queued {
        file,
        db: db.clone(),
        job,
    });
    // Waiting for the gate happens in the spawned task too: a writer that gives up while
    // waiting must not leave its work queued until some later writer comes along.
    let db = db.clone();
    let leader = tokio::spawn(async move {
        let gate = crate::db::write_gate(&db).await;
        // Our work is either done (the gate's previous holder took it) or still queued.
        run_queued(gate).await;
    });
    if let Err(panic) = leader.await {
        std::panic::resume_unwind(panic.into_panic());
    }
    receiver.await.map_err(|_| {
        DataError::Db(DbErr::Custom(
            "the queued write was dropped without an answer".to_owned(),
        ))
    })?
}

/// Runs one piece of work in a savepoint of the shared transaction.
async fn in_savepoint<T, F>(txn: &DatabaseTransaction, work: F) -> Result<T, DataError>
where
    F: for<'t> FnOnce(&'t DatabaseTransaction) -> Work<'t, T>,
{
    let savepoint = txn.begin().await?;
    match work(&savepoint).await {
        Ok(value) => {
            savepoint.commit().await?;
            Ok(value)
        }
        Err(error) => {
            savepoint.rollback().await?;
            Err(error)
        }
    }
}

/// Everything queued, database by database, each in one transaction. Holds the gate.
async fn run_queued<G: Send>(gate: G) {
    let queued = std::mem::take(&mut *lock_queue());
    let mut by_file: Vec<(PathBuf, DatabaseConnection, Vec<Job>)> = Vec::new();
    for Queued { file, db, job } in queued {
        match by_file.iter_mut().find(|(f, _, _)| *f == file) {
            Some((_, _, jobs)) => jobs.push(job),
            None => by_file.push((file, db, vec![job])),
        }
    }
    for (_, db, jobs) in by_file {
        run_together(&db, jobs).await;
    }
    drop(gate);
}

async fn run_together(db: &DatabaseConnection, jobs: Vec<Job>) {
    let txn = match db.begin().await {
        Ok(txn) => txn,
        Err(error) => {
            tracing::error!(%error, "cannot begin the shared write transaction");
            // Dropping the jobs drops their answer channels: each writer gets an error.
            return;
        }
    };
    let alone = jobs.len() == 1;
    let mut delivers = Vec::with_capacity(jobs.len());
    let mut failed_alone = false;
    for job in jobs {
        let (succeeded, deliver) = job(&txn, alone).await;
        failed_alone = alone && !succeeded;
        delivers.push(deliver);
    }
    // A lone writer's failed work ran outside any savepoint: none of it may commit (its
    // writer hears its own error either way).
    let committed = if failed_alone {
        txn.rollback().await
    } else {
        txn.commit().await
    };
    if !failed_alone {
        TRANSACTIONS.fetch_add(1, Ordering::Relaxed);
        PIECES.fetch_add(delivers.len() as u64, Ordering::Relaxed);
    }
    if let Err(error) = &committed {
        tracing::error!(%error, writers = delivers.len(), "the shared write transaction failed to commit");
    }
    for deliver in delivers {
        deliver(committed.as_ref().map(|_| ()));
    }
}

fn commit_failed(error: &DbErr) -> DataError {
    DataError::Db(DbErr::Custom(format!(
        "the shared write transaction failed to commit: {error}"
    )))
}

fn lock_queue() -> std::sync::MutexGuard<'static, Vec<Queued>> {
    // A panic while holding this lock cannot leave the Vec half-changed (push and take
    // are single operations), so a poisoned lock is still sound to use.
    QUEUE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
