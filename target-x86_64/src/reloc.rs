//! Relocations: the places in the code the linker (or object writer) must patch.

/// How the patched field is computed. `S` is the symbol's address, `A` the addend, `P` the
/// address of the field itself (ELF notation).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum RelocKind {
    /// 32-bit `S + A - P` (`R_X86_64_PC32`): RIP-relative data references.
    PcRel32,
    /// 32-bit `L + A - P` through the PLT if needed (`R_X86_64_PLT32`): `call rel32`.
    Plt32,
    /// 64-bit `S + A` (`R_X86_64_64`): `movabs reg, imm64` of an address.
    Abs64,
}

impl RelocKind {
    /// Width of the patched field in bytes.
    pub fn size(self) -> u32 {
        match self {
            RelocKind::PcRel32 | RelocKind::Plt32 => 4,
            RelocKind::Abs64 => 8,
        }
    }
}

/// One relocation in assembled code.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct Reloc {
    /// Byte offset of the patched field in the code.
    pub offset: u32,
    pub kind: RelocKind,
    /// The caller's identifier for the target symbol; the assembler only carries it along.
    pub symbol: u32,
    /// For PC-relative kinds, `-4` plus any displacement: the CPU adds the field to the
    /// address of the *next* instruction, which is 4 bytes after the field's start.
    pub addend: i64,
}
