// SPDX-License-Identifier: MIT
/// A stand-in rule for the gate tests: run-cocci here is a script that
/// sleeps, so timeouts and signals can be tested without spatch.
