//! `--files PATH...`: a run on Databento exports instead of a fetch — files saved from the
//! portal or a batch download (DBN, JSON lines or CSV, plain or zstd-compressed `.zst`),
//! or folders of them. The market is built by the client crate's
//! [`market_from_files`](deltaroll_databento::files::market_from_files), as the web app's
//! Files source builds it, so the same data gives the same bytes as a fetch.

use std::path::{Path, PathBuf};

use deltaroll_core::market::MarketData;
use deltaroll_core::spec::RunSpec;
use deltaroll_databento::files::{market_from_files, ExportFile};
use deltaroll_databento::DEFAULT_MAX_BODY_BYTES;

use crate::error::CliError;

/// The files `paths` name: each file as given, each folder's files (its subfolders' too)
/// in name order, hidden ones (`.name`) left out.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out).map_err(|error| CliError::Output { path: Some(path.clone()), error })?;
        } else if path.is_file() {
            out.push(path.clone());
        } else {
            return Err(CliError::Exports(format!("{} is neither a file nor a folder", path.display())));
        }
    }
    if out.is_empty() {
        return Err(CliError::Exports(deltaroll_databento::files::ExportsError::NoFiles.to_string()));
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// The market in the files `paths` name, for `spec`.
pub fn market(spec: &RunSpec, paths: &[PathBuf]) -> Result<MarketData, CliError> {
    let files = collect(paths)?;
    let mut exports = Vec::with_capacity(files.len());
    for path in &files {
        let too_large = std::fs::metadata(path).is_ok_and(|m| m.len() > DEFAULT_MAX_BODY_BYTES);
        if too_large {
            return Err(CliError::Exports(format!(
                "{} is larger than {} MiB: export fewer days or symbols per file",
                path.display(),
                DEFAULT_MAX_BODY_BYTES / (1024 * 1024)
            )));
        }
        let bytes = std::fs::read(path).map_err(|error| CliError::Output { path: Some(path.clone()), error })?;
        exports.push(ExportFile { name: path.display().to_string(), bytes });
    }
    tracing::info!(files = exports.len(), "reading {} exported file(s)", exports.len());
    market_from_files(spec, &exports).map_err(|e| CliError::Exports(e.to_string()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_in_name_order_without_hidden_files() {
        let dir = std::env::temp_dir().join(format!("deltaroll-files-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for name in ["b.dbn", "a.json", ".hidden", "sub/c.csv.zst"] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        let found = collect(std::slice::from_ref(&dir)).unwrap();
        let names: Vec<String> = found.iter().map(|p| p.strip_prefix(&dir).unwrap().display().to_string()).collect();
        assert_eq!(names, ["a.json", "b.dbn", "sub/c.csv.zst"]);
        let err = collect(&[dir.join("missing.dbn")]).unwrap_err();
        assert_eq!(err.exit_code(), crate::error::exit::BAD_INPUT);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
