//! Intel-syntax listings of machine code, for debugging output and golden tests of the code
//! generator.

use iced_x86::{Decoder, DecoderOptions, Formatter, IntelFormatter};

/// One line per instruction: `offset: text`, with branch targets as code offsets. Bytes that
/// do not decode (data such as jump tables or the constant pool, if passed in) show as
/// `(bad)`.
pub fn disassemble(code: &[u8]) -> String {
    let mut decoder = Decoder::with_ip(64, code, 0, DecoderOptions::NONE);
    let mut formatter = IntelFormatter::new();
    let options = formatter.options_mut();
    options.set_space_after_operand_separator(true);
    options.set_hex_prefix("0x");
    options.set_hex_suffix("");
    options.set_uppercase_hex(false);
    options.set_branch_leading_zeros(false);
    options.set_leading_zeros(false);
    let mut listing = String::new();
    let mut text = String::new();
    while decoder.can_decode() {
        let inst = decoder.decode();
        text.clear();
        if inst.is_invalid() {
            text.push_str("(bad)");
        } else {
            formatter.format(&inst, &mut text);
        }
        listing.push_str(&format!("{:>6x}: {text}\n", inst.ip()));
    }
    listing
}
