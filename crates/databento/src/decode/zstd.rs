//! zstd-compressed files (`.zst`, as Databento's batch downloads deliver them), unpacked
//! with the pure-Rust `ruzstd` decoder so the browser can read them too (it builds for
//! wasm32; docs.rs/ruzstd/0.7.3, `FrameDecoder`). Every frame of the file is unpacked in
//! turn (a file may hold several, and skippable frames are passed over), each frame's
//! content checksum is checked when it has one, and the output is bounded, so a file that
//! unpacks to more than the limit is refused rather than held in memory.

use ruzstd::frame::ReadFrameHeaderError;
use ruzstd::frame_decoder::{BlockDecodingStrategy, FrameDecoder, FrameDecoderError};

use super::DecodeError;

/// The four bytes every zstd frame starts with (0xFD2FB528, little-endian).
pub const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// Whether `bytes` start like a zstd frame.
pub fn is_zstd(bytes: &[u8]) -> bool {
    bytes.starts_with(&ZSTD_MAGIC)
}

/// The content of every frame in `input`, at most `limit` bytes of it.
pub fn decompress_zstd(input: &[u8], limit: u64) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    unpack_zstd(input, limit, &mut |piece| {
        out.extend_from_slice(piece);
        Ok(())
    })?;
    Ok(out)
}

/// The content of every frame in `input` handed to `sink` as it is unpacked, about 1 MiB
/// at a time, at most `limit` bytes in all: a caller that decodes as it goes never holds
/// the whole content. An error of `sink` stops the unpacking and is returned.
pub fn unpack_zstd(
    input: &[u8],
    limit: u64,
    sink: &mut dyn FnMut(&[u8]) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let mut unpacker = Unpacker::new(input, limit);
    while let Some(piece) = unpacker.next_piece()? {
        sink(&piece)?;
    }
    Ok(())
}

/// The content of every frame of a zstd input, pulled a piece (about 1 MiB) at a time, so
/// a caller can pause between pieces (the browser yields to the page).
pub struct Unpacker<'a> {
    input: &'a [u8],
    decoder: FrameDecoder,
    /// Whether a frame is being unpacked.
    in_frame: bool,
    unpacked: u64,
    limit: u64,
}

impl<'a> Unpacker<'a> {
    /// Unpack `input` to at most `limit` bytes in all.
    pub fn new(input: &'a [u8], limit: u64) -> Self {
        Self { input, decoder: FrameDecoder::new(), in_frame: false, unpacked: 0, limit }
    }

    /// The next piece of content; `None` once every frame is unpacked (and checked).
    pub fn next_piece(&mut self) -> Result<Option<Vec<u8>>, DecodeError> {
        let failed = |e: FrameDecoderError| DecodeError::new(format!("the zstd data could not be decompressed: {e}"));
        loop {
            if self.in_frame {
                if !self.decoder.is_finished() {
                    self.decoder
                        .decode_blocks(&mut self.input, BlockDecodingStrategy::UptoBytes(1 << 20))
                        .map_err(failed)?;
                }
                if let Some(ready) = self.decoder.collect().filter(|r| !r.is_empty()) {
                    self.unpacked += ready.len() as u64;
                    if self.unpacked > self.limit {
                        return Err(DecodeError::new(format!(
                            "{OVERSIZED} {}; split the export into smaller files or ask for fewer days or symbols",
                            human_limit(self.limit)
                        )));
                    }
                    return Ok(Some(ready));
                }
                if self.decoder.is_finished() {
                    let (sent, got) = (self.decoder.get_checksum_from_data(), self.decoder.get_calculated_checksum());
                    if sent.zip(got).is_some_and(|(sent, got)| sent != got) {
                        return Err(DecodeError::new(
                            "the zstd data is corrupt: its checksum does not match its content",
                        ));
                    }
                    self.in_frame = false;
                }
                continue;
            }
            if self.input.is_empty() {
                return Ok(None);
            }
            match self.decoder.init(&mut self.input) {
                Ok(()) => self.in_frame = true,
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame { length, .. })) => {
                    self.input = self
                        .input
                        .get(length as usize..)
                        .ok_or_else(|| DecodeError::new("the zstd data ends inside a skippable frame"))?;
                }
                Err(e) => return Err(failed(e)),
            }
        }
    }
}

/// How the error for data unpacking past the limit begins ([`is_oversized`]).
const OVERSIZED: &str = "the zstd data unpacks to more than";

/// Whether `error` is [`decompress_zstd`]'s refusal of data that unpacks past its limit (a
/// body too large, or a decompression bomb), rather than of corrupt data.
pub fn is_oversized(error: &DecodeError) -> bool {
    error.0.starts_with(OVERSIZED)
}

/// `limit` for messages: whole MiB when it is one, else bytes.
fn human_limit(limit: u64) -> String {
    if limit >= 1024 * 1024 && limit % (1024 * 1024) == 0 {
        format!("{} MiB", limit / (1024 * 1024))
    } else {
        format!("{limit} bytes")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// `HOH5,2.41` fifty times, one a line, packed by the zstd command-line tool
    /// (`zstd -19 --check`): a compressed block (500 bytes in 31) with a content checksum.
    const HOH5: [u8; 31] = [
        0x28, 0xb5, 0x2f, 0xfd, 0x64, 0xf4, 0x00, 0x8d, 0x00, 0x00, 0x50, 0x48, 0x4f, 0x48, 0x35, 0x2c, 0x32, 0x2e,
        0x34, 0x31, 0x0a, 0x01, 0x00, 0xe7, 0x55, 0x0b, 0x12, 0xa2, 0xb4, 0x28, 0x5f,
    ];

    fn plain() -> Vec<u8> {
        b"HOH5,2.41\n".repeat(50)
    }

    #[test]
    fn frames_are_unpacked_in_turn_and_checked() {
        assert!(is_zstd(&HOH5));
        assert_eq!(decompress_zstd(&HOH5, 1 << 20).unwrap(), plain());
        // Two frames, with a skippable frame (magic 0x184D2A50, 3 bytes) between them.
        let skippable = [0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3];
        let two = [&HOH5[..], &skippable, &HOH5].concat();
        assert_eq!(decompress_zstd(&two, 1 << 20).unwrap(), [plain(), plain()].concat());
    }

    #[test]
    fn corrupt_cut_or_oversized_data_is_refused() {
        let mut corrupt = HOH5;
        corrupt[12] ^= 0x20;
        let err = decompress_zstd(&corrupt, 1 << 20).unwrap_err().to_string();
        assert!(err.contains("checksum"), "{err}");
        let err = decompress_zstd(&HOH5[..HOH5.len() - 6], 1 << 20).unwrap_err().to_string();
        assert!(err.contains("zstd"), "{err}");
        let err = decompress_zstd(&HOH5, 4).unwrap_err();
        assert!(is_oversized(&err), "{err}");
        assert!(err.to_string().contains("unpacks to more than 4 bytes"), "{err}");
        assert!(!is_oversized(&decompress_zstd(&corrupt, 1 << 20).unwrap_err()));
        assert!(decompress_zstd(&[0x28, 0xB5, 0x2F, 0xFD, 0, 0], 1 << 20).is_err());
    }
}
