//! Relocations: the places in the code the linker (or object writer) must patch. Each kind
//! names its ELF and Mach-O relocation type; the object writer picks one by format.

/// How the patched instruction field is computed. `S` is the symbol's address, `A` the addend,
/// `P` the address of the instruction itself, `Page(x)` is `x & !0xfff` (ELF notation).
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub enum RelocKind {
    /// `bl`: 26-bit word offset `S + A - P`, ±128 MiB; a linker may route it through a veneer
    /// that clobbers `x16`/`x17`.
    Call26,
    /// `b` (a tail call): like `Call26`.
    Jump26,
    /// `adrp`: the 21-bit page offset `Page(S + A) - Page(P)`, ±4 GiB.
    AdrPage21,
    /// `add xd, xn, #lo12`: the low 12 bits of `S + A`, completing an `adrp`.
    AddLo12,
    /// A 64-bit data word `S + A`.
    Abs64,
}

impl RelocKind {
    /// Width of the patched field in bytes (one instruction, or the data word).
    pub fn size(self) -> u32 {
        match self {
            RelocKind::Abs64 => 8,
            _ => 4,
        }
    }

    /// Whether the value is relative to the place being patched.
    pub fn is_pc_relative(self) -> bool {
        matches!(self, RelocKind::Call26 | RelocKind::Jump26 | RelocKind::AdrPage21)
    }

    /// The ELF relocation type (`R_AARCH64_*`, from the AArch64 ELF ABI).
    pub fn elf_type(self) -> u32 {
        match self {
            RelocKind::Abs64 => 257,     // R_AARCH64_ABS64
            RelocKind::AdrPage21 => 275, // R_AARCH64_ADR_PREL_PG_HI21
            RelocKind::AddLo12 => 277,   // R_AARCH64_ADD_ABS_LO12_NC
            RelocKind::Jump26 => 282,    // R_AARCH64_JUMP26
            RelocKind::Call26 => 283,    // R_AARCH64_CALL26
        }
    }

    /// The Mach-O relocation type (`ARM64_RELOC_*`, from `<mach-o/arm64/reloc.h>`). Mach-O
    /// keeps no addend in these records: a non-zero [`Reloc::addend`] needs a preceding
    /// `ARM64_RELOC_ADDEND` record (or, for `Abs64`, the addend stored in the data word).
    pub fn macho_type(self) -> u8 {
        match self {
            RelocKind::Abs64 => 0,                      // ARM64_RELOC_UNSIGNED
            RelocKind::Call26 | RelocKind::Jump26 => 2, // ARM64_RELOC_BRANCH26
            RelocKind::AdrPage21 => 3,                  // ARM64_RELOC_PAGE21
            RelocKind::AddLo12 => 4,                    // ARM64_RELOC_PAGEOFF12
        }
    }
}

/// One relocation in assembled code.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug)]
pub struct Reloc {
    /// Byte offset of the patched instruction (or data word) in the code.
    pub offset: u32,
    pub kind: RelocKind,
    /// The caller's identifier for the target symbol; the assembler only carries it along.
    pub symbol: u32,
    /// Added to the symbol's address. AArch64 branches are relative to the instruction's own
    /// address, so unlike x86-64 there is no `-4`: this is 0 unless the caller asked for an
    /// offset into the symbol.
    pub addend: i64,
}
