//! Writes that never leave a half-written file under its final name: the content goes to a
//! temporary sibling (`NAME.tmp.EXT`, keeping the extension that decides a format), which is
//! flushed to the disk (`fsync`) and renamed over the target; the directory is then synced so
//! the rename survives a crash too. When any step fails (disk full, an I/O error) the temporary
//! is removed and the previous file under the name is left exactly as it was.
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The temporary sibling `path` is written through: `dir/NAME.tmp.EXT` (or `dir/NAME.tmp`).
pub fn temp_path(path: &Path) -> PathBuf {
    match path.extension().and_then(|e| e.to_str()) {
        Some(ext) => path.with_extension(format!("tmp.{ext}")),
        None => path.with_extension("tmp"),
    }
}

/// Replaces `path` by what `write` puts into the temporary file whose path it is given,
/// durably and atomically (see the module documentation).
///
/// # Errors
/// The first I/O error of `write`, the flush, the rename or the directory sync; `path` is then
/// unchanged.
pub fn write_with(path: &Path, write: impl FnOnce(&Path) -> io::Result<()>) -> io::Result<()> {
    let tmp = temp_path(path);
    let result = write(&tmp)
        .and_then(|()| File::open(&tmp)?.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        // Best effort: the temporary may not exist, and the error below is what matters.
        let _ = std::fs::remove_file(&tmp);
        return result;
    }
    sync_dir(path)
}

/// Replaces `path` by `bytes`, durably and atomically.
///
/// # Errors
/// As [`write_with`].
pub fn write_bytes(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, |tmp| File::create(tmp)?.write_all(bytes))
}

/// Syncs the directory holding `path`, so a rename into it is on the disk.
fn sync_dir(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => File::open(dir)?.sync_all(),
        _ => File::open(".")?.sync_all(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_temporary_keeps_the_extension() {
        assert_eq!(
            temp_path(Path::new("r/epoch-0001.safetensors")),
            Path::new("r/epoch-0001.tmp.safetensors")
        );
        assert_eq!(
            temp_path(Path::new("r/state.json")),
            Path::new("r/state.tmp.json")
        );
        assert_eq!(temp_path(Path::new("r/LOCK")), Path::new("r/LOCK.tmp"));
    }

    #[test]
    fn a_failed_write_leaves_the_previous_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        write_bytes(&path, b"good").unwrap();
        let e = write_with(&path, |tmp| {
            File::create(tmp)?.write_all(b"half")?;
            Err(io::Error::other("injected I/O error"))
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "injected I/O error");
        assert_eq!(std::fs::read(&path).unwrap(), b"good");
        assert!(!temp_path(&path).exists());
    }

    #[test]
    fn a_full_disk_fails_the_write_and_keeps_the_previous_file() {
        // /dev/full accepts the open and fails every write with ENOSPC.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("weights.bin");
        write_bytes(&path, b"good").unwrap();
        let e = write_with(&path, |tmp| {
            std::os::unix::fs::symlink("/dev/full", tmp)?;
            let mut f = File::options().write(true).open(tmp)?;
            f.write_all(&[0; 4096])?;
            f.flush()
        })
        .unwrap_err();
        assert_eq!(e.raw_os_error(), Some(28), "ENOSPC: {e}");
        assert_eq!(std::fs::read(&path).unwrap(), b"good");
        assert!(!temp_path(&path).exists());
    }
}
