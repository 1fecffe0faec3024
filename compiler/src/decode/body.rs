//! Function bodies: their locals and a reader that decodes their instructions one at a time.

use super::module::Module;
use super::operators::{OpcodePrefix, Operator};
use super::reader::Reader;
use super::types::{BlockType, RefType, ValType};
use crate::error::{Error, Result};

/// The implementation's limit on the number of locals of a function (params excluded). The
/// spec only bounds the total by 2^32; this bound keeps the expanded locals small in memory.
pub const MAX_LOCALS: u32 = 50_000;

/// A decoded function body header and a reader of its instructions.
pub struct FunctionBody<'a> {
    /// The declared locals, run-length encoded as in the binary: `(count, type)`.
    pub locals: Vec<(u32, ValType)>,
    /// Total number of declared locals (the sum of the counts).
    pub num_locals: u32,
    /// The instructions, ending with the `end` of the function.
    pub operators: OperatorReader<'a>,
}

impl Module {
    /// Decodes the header of the body of the `defined`-th function defined in the module (not
    /// counting imports). `bytes` must be the module's bytes given to `parse`.
    pub fn function_body<'a>(&self, bytes: &'a [u8], defined: u32) -> Result<FunctionBody<'a>> {
        let range = self
            .code
            .get(defined as usize)
            .ok_or_else(|| Error::msg(format!("no function body {defined}")))?;
        let mut reader = Reader::new(bytes, range.start, range.end);
        let groups = reader.read_count()?;
        let mut locals = Vec::with_capacity(groups as usize);
        let mut num_locals = 0u32;
        for _ in 0..groups {
            let at = reader.offset();
            let count = reader.read_u32()?;
            num_locals = match num_locals.checked_add(count) {
                Some(n) if n <= MAX_LOCALS => n,
                _ => return Err(Error::at(at, "too many locals")),
            };
            locals.push((count, read_val_type(&mut reader)?));
        }
        Ok(FunctionBody {
            locals,
            num_locals,
            operators: OperatorReader {
                reader,
                failed: false,
            },
        })
    }
}

/// Decodes instructions one at a time, each with its offset in the module. As an iterator it
/// yields `Result`s and stops after the first error or at the end of the body.
#[derive(Clone)]
pub struct OperatorReader<'a> {
    reader: Reader<'a>,
    failed: bool,
}

impl<'a> OperatorReader<'a> {
    pub(crate) fn new(reader: Reader<'a>) -> OperatorReader<'a> {
        OperatorReader {
            reader,
            failed: false,
        }
    }

    /// Bytes of code left to read (a size hint for the reader's users).
    pub fn remaining_bytes(&self) -> usize {
        self.reader.remaining()
    }

    /// Whether every byte of the body has been read.
    pub fn is_at_end(&self) -> bool {
        self.reader.is_at_end()
    }

    /// The offset of the next instruction.
    pub fn offset(&self) -> usize {
        self.reader.offset()
    }

    /// Reads the next instruction and its offset.
    pub fn read(&mut self) -> Result<(Operator, usize)> {
        let at = self.reader.offset();
        let result = read_operator(&mut self.reader);
        self.failed |= result.is_err();
        Ok((result?, at))
    }

    pub(crate) fn into_reader(self) -> Reader<'a> {
        self.reader
    }
}

impl Iterator for OperatorReader<'_> {
    type Item = Result<(Operator, usize)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.is_at_end() {
            return None;
        }
        Some(self.read())
    }
}

pub(crate) fn read_val_type(reader: &mut Reader) -> Result<ValType> {
    let at = reader.offset();
    ValType::from_byte(reader.read_u8()?).ok_or_else(|| Error::at(at, "malformed value type"))
}

pub(crate) fn read_ref_type(reader: &mut Reader) -> Result<RefType> {
    let at = reader.offset();
    RefType::from_byte(reader.read_u8()?).ok_or_else(|| Error::at(at, "malformed reference type"))
}

fn read_block_type(reader: &mut Reader) -> Result<BlockType> {
    let at = reader.offset();
    match reader.peek_u8() {
        Some(0x40) => {
            reader.read_u8()?;
            return Ok(BlockType::Empty);
        }
        Some(byte) => {
            if let Some(ty) = ValType::from_byte(byte) {
                reader.read_u8()?;
                return Ok(BlockType::Value(ty));
            }
        }
        None => {}
    }
    // A type index, encoded as a non-negative s33 so it cannot be confused with a value type.
    let index = reader.read_s33()?;
    u32::try_from(index)
        .map(BlockType::Func)
        .map_err(|_| Error::at(at, "malformed block type"))
}

/// The reserved byte that Wasm 2.0 puts where later versions put a memory index.
fn read_zero_byte(reader: &mut Reader) -> Result<u32> {
    let at = reader.offset();
    match reader.read_u8()? {
        0 => Ok(0),
        _ => Err(Error::at(at, "zero byte expected")),
    }
}

fn read_operator(r: &mut Reader) -> Result<Operator> {
    use Operator::*;
    let at = r.offset();
    let (prefix, code) = match r.read_u8()? {
        0xFC => (OpcodePrefix::Misc, r.read_u32()?),
        0xFD => (OpcodePrefix::Simd, r.read_u32()?),
        byte => (OpcodePrefix::Plain, u32::from(byte)),
    };
    if let Some(op) = Operator::read_tabled(prefix, code, r)? {
        return Ok(op);
    }
    Ok(match (prefix, code) {
        (OpcodePrefix::Plain, code) => match code {
            0x00 => Unreachable,
            0x02 => Block {
                ty: read_block_type(r)?,
            },
            0x03 => Loop {
                ty: read_block_type(r)?,
            },
            0x04 => If {
                ty: read_block_type(r)?,
            },
            0x05 => Else,
            0x0B => End,
            0x0C => Br {
                depth: r.read_u32()?,
            },
            0x0D => BrIf {
                depth: r.read_u32()?,
            },
            0x0E => {
                let count = r.read_count()?;
                let targets = (0..count)
                    .map(|_| r.read_u32())
                    .collect::<Result<Vec<_>>>()?;
                BrTable {
                    targets,
                    default: r.read_u32()?,
                }
            }
            0x0F => Return,
            0x10 => Call {
                func: r.read_u32()?,
            },
            0x11 => CallIndirect {
                type_index: r.read_u32()?,
                table: r.read_u32()?,
            },
            0x1A => Drop,
            0x1B => Select,
            0x1C => {
                if r.read_u32()? != 1 {
                    return Err(Error::at(at, "invalid result arity"));
                }
                TypedSelect {
                    ty: read_val_type(r)?,
                }
            }
            0x20 => LocalGet {
                index: r.read_u32()?,
            },
            0x21 => LocalSet {
                index: r.read_u32()?,
            },
            0x22 => LocalTee {
                index: r.read_u32()?,
            },
            0x23 => GlobalGet {
                index: r.read_u32()?,
            },
            0x24 => GlobalSet {
                index: r.read_u32()?,
            },
            0x25 => TableGet {
                table: r.read_u32()?,
            },
            0x26 => TableSet {
                table: r.read_u32()?,
            },
            0x3F => MemorySize {
                memory: read_zero_byte(r)?,
            },
            0x40 => MemoryGrow {
                memory: read_zero_byte(r)?,
            },
            0x41 => I32Const {
                value: r.read_s32()?,
            },
            0x42 => I64Const {
                value: r.read_s64()?,
            },
            0x43 => F32Const {
                bits: r.read_f32_bits()?,
            },
            0x44 => F64Const {
                bits: r.read_f64_bits()?,
            },
            0xD0 => RefNull {
                ty: read_ref_type(r)?,
            },
            0xD1 => RefIsNull,
            0xD2 => RefFunc {
                func: r.read_u32()?,
            },
            _ => return Err(Error::at(at, "illegal opcode")),
        },
        (OpcodePrefix::Misc, code) => match code {
            8 => {
                let data = r.read_u32()?;
                MemoryInit {
                    data,
                    memory: read_zero_byte(r)?,
                }
            }
            9 => DataDrop {
                data: r.read_u32()?,
            },
            10 => {
                let dst_memory = read_zero_byte(r)?;
                MemoryCopy {
                    dst_memory,
                    src_memory: read_zero_byte(r)?,
                }
            }
            11 => MemoryFill {
                memory: read_zero_byte(r)?,
            },
            12 => {
                let elem = r.read_u32()?;
                TableInit {
                    elem,
                    table: r.read_u32()?,
                }
            }
            13 => ElemDrop {
                elem: r.read_u32()?,
            },
            14 => {
                let dst_table = r.read_u32()?;
                TableCopy {
                    dst_table,
                    src_table: r.read_u32()?,
                }
            }
            15 => TableGrow {
                table: r.read_u32()?,
            },
            16 => TableSize {
                table: r.read_u32()?,
            },
            17 => TableFill {
                table: r.read_u32()?,
            },
            _ => return Err(Error::at(at, "illegal opcode")),
        },
        (OpcodePrefix::Simd, code) => match code {
            12 => V128Const {
                bytes: r.read_array16()?,
            },
            13 => I8x16Shuffle {
                lanes: r.read_array16()?,
            },
            _ => return Err(Error::at(at, "illegal opcode")),
        },
    })
}
