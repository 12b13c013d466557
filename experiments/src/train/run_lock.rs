//! One run at a time per run directory: [`RunLock::claim`] takes an exclusive advisory lock
//! (`flock`) on the directory's [`LOCK_FILE`] for as long as the run lives. The kernel drops
//! the lock when the process ends in any way (an error, Ctrl-C, SIGKILL, a crash), so a killed
//! run never leaves a stale lock behind; the file itself stays and only records the holder's
//! process id for the message a second run gets.
use super::{checkpoint, Result, TrainError};
use std::fs::{File, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

/// File name of the lock in a run directory.
pub const LOCK_FILE: &str = ".gm-run.lock";

/// Holds the lock of a run directory until dropped.
#[derive(Debug)]
pub struct RunLock {
    _file: File,
}

impl RunLock {
    /// Creates `dir` if needed and locks it for this process, without waiting.
    ///
    /// # Errors
    /// [`TrainError::Busy`] when another process holds the lock; [`TrainError::Io`].
    pub fn acquire(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| TrainError::io(dir, e))?;
        let path = dir.join(LOCK_FILE);
        let mut file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| TrainError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                // Best effort: the pid only makes the message more helpful.
                let _ = file.read_to_string(&mut holder);
                return Err(TrainError::Busy {
                    dir: dir.into(),
                    holder: holder.trim().parse().ok(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(TrainError::io(&path, e)),
        }
        let record = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| write!(file, "{}", std::process::id()));
        record.map_err(|e| TrainError::io(&path, e))?;
        Ok(Self { _file: file })
    }

    /// Locks `dir` for a run and checks it suits the request: with `resume` it must hold a
    /// saved run, without it it must not (nothing is ever overwritten). Resuming a directory
    /// that does not exist fails before anything is created.
    ///
    /// # Errors
    /// [`TrainError::Busy`]; [`TrainError::NothingToResume`]; [`TrainError::Invalid`] when
    /// `dir` already holds a run and `resume` is off; [`TrainError::Io`] (also for a corrupt
    /// `state.json`).
    pub fn claim(dir: &Path, resume: bool) -> Result<Self> {
        if resume && !dir.exists() {
            return Err(TrainError::NothingToResume { dir: dir.into() });
        }
        let lock = Self::acquire(dir)?;
        match (checkpoint::load_state(dir)?, resume) {
            (None, true) => Err(TrainError::NothingToResume { dir: dir.into() }),
            (Some(s), false) => Err(TrainError::Invalid(format!(
                "{} already holds a run ({} epochs done): pass --resume to continue it, or \
                 --out DIR for a new one",
                dir.display(),
                s.epoch
            ))),
            _ => Ok(lock),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let run = dir.path().join("run");
        let first = RunLock::acquire(&run).unwrap();
        let e = RunLock::acquire(&run).unwrap_err();
        match &e {
            TrainError::Busy { holder, .. } => assert_eq!(*holder, Some(std::process::id())),
            other => panic!("expected Busy, got {other}"),
        }
        assert!(e.to_string().contains("in use by another `gm run`"), "{e}");
        drop(first);
        let _again = RunLock::acquire(&run).unwrap();
    }

    #[test]
    fn resume_needs_a_run_and_a_new_run_needs_an_empty_directory() {
        let dir = tempfile::tempdir().unwrap();
        let e = RunLock::claim(dir.path(), true).unwrap_err();
        assert!(matches!(e, TrainError::NothingToResume { .. }), "{e}");
        assert!(e.to_string().contains("holds no run"), "{e}");
        let missing = dir.path().join("missing");
        let e = RunLock::claim(&missing, true).unwrap_err();
        assert!(matches!(e, TrainError::NothingToResume { .. }), "{e}");
        assert!(!missing.exists(), "resuming created {}", missing.display());
        drop(RunLock::claim(dir.path(), false).unwrap());
    }
}
