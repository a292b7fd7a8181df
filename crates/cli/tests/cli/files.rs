//! `--files`: a run on Databento exports gives the bytes of a fetch of the same data. The
//! exports are the very bodies a fetch from fake-databento received (kept in its cache),
//! half of them zstd-compressed as a batch download delivers them, given as a folder and as
//! files.

use std::path::{Path, PathBuf};

use deltaroll_databento::decode::{decompress_zstd, is_zstd};

use crate::{Fake, Run, RANGE};

/// `bytes` in one zstd frame of raw (stored) blocks: a valid `.zst` (RFC 8878 §3.1.1: frame
/// header with a 128 KiB window, blocks of at most 128 KiB, the last one flagged), made
/// here so the test needs no zstd tool; real compressed frames are tested in the client
/// crate.
fn zstd_stored(bytes: &[u8]) -> Vec<u8> {
    const BLOCK: usize = 128 * 1024;
    let mut out = vec![0x28, 0xB5, 0x2F, 0xFD, 0x00, 7 << 3];
    let chunks: Vec<&[u8]> = if bytes.is_empty() { vec![&[]] } else { bytes.chunks(BLOCK).collect() };
    for (i, chunk) in chunks.iter().enumerate() {
        let last = u32::from(i + 1 == chunks.len());
        let header = last | ((chunk.len() as u32) << 3);
        out.extend_from_slice(&header.to_le_bytes()[..3]);
        out.extend_from_slice(chunk);
    }
    out
}

/// The `get_range` bodies in a fetch's cache (not its `get_dataset_range` answers, the
/// links between pieces, a date each, nor the roll days' kept chains), unpacked (the cache keeps them zstd-compressed, as
/// they came) and copied into `dir`: every other one zstd-compressed again.
fn exports_from_cache(cache: &Path, dir: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    let unpacked = |b: Vec<u8>| if is_zstd(&b) { decompress_zstd(&b, 1 << 30).unwrap() } else { b };
    let mut bodies: Vec<Vec<u8>> = std::fs::read_dir(cache)
        .unwrap()
        .map(|e| unpacked(std::fs::read(e.unwrap().path()).unwrap()))
        .filter(|b| serde_json::from_slice::<serde_json::Value>(b).map_or(true, |v| v.get("schema").is_none()))
        .filter(|b| std::str::from_utf8(b).map_or(true, |t| t.parse::<chrono::NaiveDate>().is_err()))
        .filter(|b| !b.starts_with(b"deltaroll kept chain"))
        .collect();
    bodies.sort();
    let mut out = Vec::new();
    for (i, body) in bodies.iter().enumerate() {
        let (name, bytes) = if i % 2 == 0 {
            (format!("export-{i}.zst"), zstd_stored(body))
        } else {
            (format!("export-{i}"), body.clone())
        };
        std::fs::write(dir.join(&name), bytes).unwrap();
        out.push(dir.join(name));
    }
    out
}

#[test]
fn exports_of_the_fetched_data_give_the_fetchs_bytes() {
    let fake = Fake::synthetic();
    let home = tempfile::tempdir().unwrap();
    let cache = home.path().join("cache");
    let fetched = fake.cached_run(home.path(), &cache);
    let exports = exports_from_cache(&cache, &home.path().join("exports"));
    assert!(exports.len() >= 10, "{}", exports.len());

    let from_folder = crate::deltaroll(home.path()).args(RANGE).arg("--files").arg(home.path().join("exports")).run();
    assert_eq!(from_folder.code, 0, "{}", from_folder.stderr);
    assert_eq!(String::from_utf8(from_folder.bytes).unwrap(), String::from_utf8(fetched.clone()).unwrap());

    let from_files = crate::deltaroll(home.path()).args(RANGE).arg("--files").args(&exports).run();
    assert_eq!(from_files.code, 0, "{}", from_files.stderr);
    assert_eq!(from_files.bytes, fetched);
}

#[test]
fn bad_exports_are_named_and_files_conflict_with_the_demo() {
    let home = tempfile::tempdir().unwrap();
    let bad = home.path().join("cut.dbn.zst");
    std::fs::write(&bad, &zstd_stored(b"DBN\x03garbage")[..12]).unwrap();
    let ran = crate::deltaroll(home.path()).args(RANGE).arg("--files").arg(&bad).run();
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("cut.dbn.zst could not be read (the zstd data"), "{}", ran.stderr);

    let ran = crate::deltaroll(home.path()).args(RANGE).arg("--files").arg(home.path().join("none")).run();
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("is neither a file nor a folder"), "{}", ran.stderr);

    let ran = crate::deltaroll(home.path()).args(RANGE).arg("--demo").env("DATABENTO_FILES", &bad).run();
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("--demo (from flag) and --files (from environment DATABENTO_FILES)"), "{}", ran.stderr);

    let ran = crate::deltaroll(home.path()).args(["check", "--files"]).arg(home.path()).args(RANGE).run();
    assert_eq!(ran.code, 0, "{}{}", ran.stdout, ran.stderr);
    assert!(ran.stdout.contains("1 exported file(s) found"), "{}", ran.stdout);
}

#[test]
fn stored_frames_are_valid_zstd() {
    let body = vec![7u8; 300 * 1024];
    let packed = zstd_stored(&body);
    assert_eq!(deltaroll_databento::decode::decompress_zstd(&packed, 1 << 20).unwrap(), body);
}
