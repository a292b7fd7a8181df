//! Where a run's bytes go: standard output, or a file replaced whole (written beside it,
//! then renamed over it) so a failed or interrupted run never leaves half a file for the
//! next job to read. The metrics file is written the same way.

use std::io::Write as _;
use std::path::Path;

use crate::error::CliError;

/// Write `bytes` to standard output.
pub fn print_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes).and_then(|()| out.flush()).map_err(|error| CliError::Output { path: None, error })
}

/// Write to a temporary file beside `path`, then rename it over `path`: a failed or
/// interrupted run never leaves a half-written file for the next job to read.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let err = |error| CliError::Output { path: Some(path.to_owned()), error };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".to_owned());
    let tmp = path.with_file_name(format!(".{name}.tmp{}", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn output_files_are_replaced_whole() {
        let dir = std::env::temp_dir().join(format!("deltaroll-out-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ho.csv");
        std::fs::write(&path, "old").unwrap();
        write_file(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary file left");
        let err = write_file(&dir.join("missing/ho.csv"), b"x").unwrap_err();
        assert_eq!(err.exit_code(), crate::error::exit::OTHER);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
