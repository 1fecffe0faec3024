//! A cursor over the module's bytes that reads the binary format's primitive values.
//!
//! Offsets are always offsets into the whole module, so every error points at the input file.

use crate::error::{Error, Result};

#[derive(Clone)]
pub(crate) struct Reader<'a> {
    /// The whole module.
    bytes: &'a [u8],
    /// The next byte to read.
    pos: usize,
    /// One past the last byte this reader may read (the end of a section or function body).
    end: usize,
}

impl<'a> Reader<'a> {
    /// A reader of `bytes[start..end]` (clamped to the input).
    pub fn new(bytes: &'a [u8], start: usize, end: usize) -> Reader<'a> {
        let end = end.min(bytes.len());
        Reader {
            bytes,
            pos: start.min(end),
            end,
        }
    }

    pub fn offset(&self) -> usize {
        self.pos
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn is_at_end(&self) -> bool {
        self.pos >= self.end
    }

    pub fn remaining(&self) -> usize {
        self.end - self.pos
    }

    fn unexpected_end(&self) -> Error {
        Error::at(self.pos, "unexpected end of section or function")
    }

    pub fn read_u8(&mut self) -> Result<u8> {
        if self.pos >= self.end {
            return Err(self.unexpected_end());
        }
        let byte = self.bytes[self.pos];
        self.pos += 1;
        Ok(byte)
    }

    pub fn peek_u8(&self) -> Option<u8> {
        (self.pos < self.end).then(|| self.bytes[self.pos])
    }

    pub fn read_bytes(&mut self, len: usize) -> Result<&'a [u8]> {
        if len > self.remaining() {
            return Err(self.unexpected_end());
        }
        let slice = &self.bytes[self.pos..self.pos + len];
        self.pos += len;
        Ok(slice)
    }

    /// Splits off a reader of the next `len` bytes and skips them here.
    pub fn split(&mut self, len: usize) -> Result<Reader<'a>> {
        if len > self.remaining() {
            return Err(Error::at(self.pos, "length out of bounds"));
        }
        let sub = Reader {
            bytes: self.bytes,
            pos: self.pos,
            end: self.pos + len,
        };
        self.pos += len;
        Ok(sub)
    }

    /// An unsigned LEB128 integer of at most `bits` bits. The spec bounds the encoding to
    /// `ceil(bits / 7)` bytes and requires the unused bits of the last byte to be zero.
    fn read_unsigned(&mut self, bits: u32) -> Result<u64> {
        let start = self.pos;
        let mut result = 0u64;
        let mut shift = 0u32;
        loop {
            let byte = self.read_u8()?;
            result |= u64::from(byte & 0x7F) << shift;
            if shift + 7 >= bits {
                if byte & 0x80 != 0 {
                    return Err(Error::at(start, "integer representation too long"));
                }
                let used = bits - shift;
                if used < 7 && (byte & 0x7F) >> used != 0 {
                    return Err(Error::at(start, "integer too large"));
                }
                return Ok(result);
            }
            if byte & 0x80 == 0 {
                return Ok(result);
            }
            shift += 7;
        }
    }

    /// A signed LEB128 integer of at most `bits` bits, sign-extended to `i64`. The unused
    /// bits of a maximal-length encoding must repeat the sign bit.
    fn read_signed(&mut self, bits: u32) -> Result<i64> {
        let start = self.pos;
        let mut result = 0i64;
        let mut shift = 0u32;
        loop {
            let byte = self.read_u8()?;
            result |= i64::from(byte & 0x7F) << shift;
            if shift + 7 >= bits {
                if byte & 0x80 != 0 {
                    return Err(Error::at(start, "integer representation too long"));
                }
                let used = bits - shift;
                if used < 7 {
                    // The sign bit and the unused bits above it: all zeros or all ones.
                    let high = (byte & 0x7F) >> (used - 1);
                    if high != 0 && high != 0x7F >> (used - 1) {
                        return Err(Error::at(start, "integer too large"));
                    }
                }
            }
            shift += 7;
            if byte & 0x80 == 0 {
                if shift < 64 && byte & 0x40 != 0 {
                    result |= -1i64 << shift;
                }
                return Ok(result);
            }
        }
    }

    pub fn read_u32(&mut self) -> Result<u32> {
        // At most 32 significant bits by construction.
        Ok(self.read_unsigned(32)? as u32)
    }

    pub fn read_s32(&mut self) -> Result<i32> {
        Ok(self.read_signed(32)? as i32)
    }

    pub fn read_s33(&mut self) -> Result<i64> {
        self.read_signed(33)
    }

    pub fn read_s64(&mut self) -> Result<i64> {
        self.read_signed(64)
    }

    pub fn read_f32_bits(&mut self) -> Result<u32> {
        let b = self.read_bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn read_f64_bits(&mut self) -> Result<u64> {
        let mut le = [0u8; 8];
        le.copy_from_slice(self.read_bytes(8)?);
        Ok(u64::from_le_bytes(le))
    }

    pub fn read_array16(&mut self) -> Result<[u8; 16]> {
        let mut out = [0u8; 16];
        out.copy_from_slice(self.read_bytes(16)?);
        Ok(out)
    }

    /// A vector length, checked against the bytes left so that a huge count cannot make the
    /// caller reserve memory: every element takes at least one byte.
    pub fn read_count(&mut self) -> Result<u32> {
        let start = self.pos;
        let count = self.read_u32()?;
        if count as usize > self.remaining() {
            return Err(Error::at(start, "length out of bounds"));
        }
        Ok(count)
    }

    /// A UTF-8 name.
    pub fn read_name(&mut self) -> Result<&'a str> {
        let start = self.pos;
        let len = self.read_u32()? as usize;
        if len > self.remaining() {
            return Err(Error::at(start, "length out of bounds"));
        }
        let bytes = self.read_bytes(len)?;
        std::str::from_utf8(bytes).map_err(|_| Error::at(start, "malformed UTF-8 encoding"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(bytes: &[u8]) -> Reader<'_> {
        Reader::new(bytes, 0, bytes.len())
    }

    #[test]
    fn unsigned_leb128_limits() {
        assert_eq!(reader(&[0x00]).read_u32(), Ok(0));
        assert_eq!(reader(&[0xE5, 0x8E, 0x26]).read_u32(), Ok(624485));
        assert_eq!(
            reader(&[0xFF, 0xFF, 0xFF, 0xFF, 0x0F]).read_u32(),
            Ok(u32::MAX)
        );
        // Padded zero, still within five bytes.
        assert_eq!(reader(&[0x80, 0x80, 0x80, 0x80, 0x00]).read_u32(), Ok(0));
        let too_long = reader(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00]).read_u32();
        assert_eq!(
            too_long.unwrap_err().message,
            "integer representation too long"
        );
        let too_large = reader(&[0xFF, 0xFF, 0xFF, 0xFF, 0x1F]).read_u32();
        assert_eq!(too_large.unwrap_err().message, "integer too large");
        let truncated = reader(&[0x80, 0x80]).read_u32();
        assert_eq!(truncated.unwrap_err().offset, Some(2));
    }

    #[test]
    fn signed_leb128_limits() {
        assert_eq!(reader(&[0x7F]).read_s32(), Ok(-1));
        assert_eq!(reader(&[0x3F]).read_s32(), Ok(63));
        assert_eq!(reader(&[0xC0, 0x00]).read_s32(), Ok(64));
        assert_eq!(
            reader(&[0x80, 0x80, 0x80, 0x80, 0x78]).read_s32(),
            Ok(i32::MIN)
        );
        assert_eq!(
            reader(&[0xFF, 0xFF, 0xFF, 0xFF, 0x07]).read_s32(),
            Ok(i32::MAX)
        );
        // Unused bits must repeat the sign bit.
        assert!(reader(&[0xFF, 0xFF, 0xFF, 0xFF, 0x0F]).read_s32().is_err());
        assert!(reader(&[0x80, 0x80, 0x80, 0x80, 0x70]).read_s32().is_err());
        assert!(reader(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
            .read_s32()
            .is_err());
        let min64 = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F];
        assert_eq!(reader(&min64).read_s64(), Ok(i64::MIN));
        let max64 = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00];
        assert_eq!(reader(&max64).read_s64(), Ok(i64::MAX));
        let bad64 = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
        assert!(reader(&bad64).read_s64().is_err());
        // s33 (block types): five bytes, five payload bits in the last one.
        assert_eq!(
            reader(&[0xFF, 0xFF, 0xFF, 0xFF, 0x0F]).read_s33(),
            Ok(u32::MAX as i64)
        );
        assert!(reader(&[0xFF, 0xFF, 0xFF, 0xFF, 0x2F]).read_s33().is_err());
    }

    #[test]
    fn names_must_be_utf8_and_fit() {
        assert_eq!(reader(&[2, b'o', b'k']).read_name(), Ok("ok"));
        assert_eq!(
            reader(&[2, 0xC0, 0x80]).read_name().unwrap_err().message,
            "malformed UTF-8 encoding"
        );
        assert_eq!(
            reader(&[5, b'a']).read_name().unwrap_err().message,
            "length out of bounds"
        );
    }
}
