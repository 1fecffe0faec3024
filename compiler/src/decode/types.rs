//! The types of the WebAssembly 2.0 type system, as they appear in the binary format.

use std::fmt;

/// A value type: a number, a vector or a reference.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum ValType {
    I32,
    I64,
    F32,
    F64,
    V128,
    FuncRef,
    ExternRef,
}

impl ValType {
    /// Decodes a value type from its one-byte binary encoding.
    pub fn from_byte(byte: u8) -> Option<ValType> {
        Some(match byte {
            0x7F => ValType::I32,
            0x7E => ValType::I64,
            0x7D => ValType::F32,
            0x7C => ValType::F64,
            0x7B => ValType::V128,
            0x70 => ValType::FuncRef,
            0x6F => ValType::ExternRef,
            _ => return None,
        })
    }

    pub fn is_ref(self) -> bool {
        matches!(self, ValType::FuncRef | ValType::ExternRef)
    }

    /// The reference type, if this is one.
    pub fn as_ref_type(self) -> Option<RefType> {
        match self {
            ValType::FuncRef => Some(RefType::FuncRef),
            ValType::ExternRef => Some(RefType::ExternRef),
            _ => None,
        }
    }

    /// The name used by the text format.
    pub fn name(self) -> &'static str {
        match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::V128 => "v128",
            ValType::FuncRef => "funcref",
            ValType::ExternRef => "externref",
        }
    }
}

impl fmt::Display for ValType {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A reference type: the element type of tables and the type of `ref.null`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum RefType {
    FuncRef,
    ExternRef,
}

impl RefType {
    pub fn from_byte(byte: u8) -> Option<RefType> {
        ValType::from_byte(byte).and_then(ValType::as_ref_type)
    }
}

impl From<RefType> for ValType {
    fn from(ty: RefType) -> ValType {
        match ty {
            RefType::FuncRef => ValType::FuncRef,
            RefType::ExternRef => ValType::ExternRef,
        }
    }
}

impl fmt::Display for RefType {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        ValType::from(*self).fmt(f)
    }
}

/// A function type.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct FuncType {
    pub params: Vec<ValType>,
    pub results: Vec<ValType>,
}

impl fmt::Display for FuncType {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let list = |tys: &[ValType]| tys.iter().map(|t| t.name()).collect::<Vec<_>>().join(" ");
        write!(f, "[{}] -> [{}]", list(&self.params), list(&self.results))
    }
}

/// Size limits of a memory (in 64 KiB pages) or a table (in elements).
/// `u64` leaves room for memory64; Wasm 2.0 limits are `u32`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct Limits {
    pub min: u64,
    pub max: Option<u64>,
}

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct TableType {
    pub element: RefType,
    pub limits: Limits,
}

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct MemoryType {
    pub limits: Limits,
}

#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct GlobalType {
    pub ty: ValType,
    pub mutable: bool,
}

/// The type of a `block`, `loop` or `if`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum BlockType {
    /// `[] -> []`
    Empty,
    /// `[] -> [t]`
    Value(ValType),
    /// The function type at this index of the type section.
    Func(u32),
}
