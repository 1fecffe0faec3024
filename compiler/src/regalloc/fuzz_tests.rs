//! Randomized allocation tests (written next).
