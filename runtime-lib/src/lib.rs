//! runtime-lib: the C runtime sources, embedded so wasmc can build them for any target.
