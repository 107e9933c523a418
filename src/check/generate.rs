//! Code generation behind the gate: check the files (lint and ledger unless turned off), and
//! generate prost messages, tonic services and protoforge's per-service code only when nothing
//! fails.

use std::path::PathBuf;

use super::{Checks, Flags, Session};
use crate::codegen::{self, DescriptorPath, Generated, Model};
use crate::diagnostic::{Report, Severity};
use crate::error::{Error, Result};
use crate::source::COMPILE;

/// What a generating run produced.
#[derive(Debug)]
pub struct Generation {
    /// The code and descriptor set; None when there are errors.
    pub generated: Option<Generated>,
    /// Findings that fail the build: compile errors, failing lint and ledger findings, and
    /// editions features prost cannot be given.
    pub errors: Report,
    /// Findings that do not fail it.
    pub warnings: Report,
    /// Every file the result depends on ([`Session::inputs`]).
    pub inputs: Vec<PathBuf>,
    /// How long each phase took.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl Generation {
    /// The error a failed generation is reported as (its findings are in [`Generation::errors`]).
    pub fn failure(&self) -> Error {
        let count = self.errors.findings.len();
        let compile_errors = self
            .errors
            .findings
            .iter()
            .filter(|f| f.rule == COMPILE)
            .count();
        Error::findings(
            format!(
                "protoforge: {count} error(s) in the proto files{}",
                if compile_errors > 0 {
                    format!(", {compile_errors} of them compile errors")
                } else {
                    String::new()
                }
            ),
            Some(if compile_errors == count {
                "fix the errors printed above".into()
            } else {
                "fix the findings printed above, suppress them (see docs/configuration.md), or build with `.lint(false)`".into()
            }),
        )
    }
}

impl Session {
    /// Checks the files (compile errors always fail; lint and ledger findings fail when `lint`)
    /// and generates code when nothing failed. Errors in the proto files are in the returned
    /// [`Generation`]; `Err` is for IO and code generation failures.
    pub fn generate(&self, lint: bool, descriptor_path: DescriptorPath) -> Result<Generation> {
        let checks = Checks {
            lint,
            ledger: lint,
            against: None,
            format: false,
        };
        let (mut report, compilation) = self.run(&checks, &Flags::default())?;
        let inputs = self.inputs(&compilation);
        let mut timings = compilation.timings.clone();
        // The report keeps its sources; its findings split into the errors and the warnings.
        report.notes.clear();
        let (mut errors, warnings): (Vec<_>, Vec<_>) = std::mem::take(&mut report.findings)
            .into_iter()
            .partition(|f| f.severity == Severity::Error);
        // Files prost cannot be given (editions features without a proto2/proto3 form) fail
        // like compile errors, at their place.
        let codegen_inputs = compilation.codegen_inputs();
        if let Err(found) = &codegen_inputs {
            errors.extend(found.iter().cloned());
        }
        let split = |findings| Report {
            findings,
            sources: report.sources.clone(),
            checked: report.checked.clone(),
            notes: Vec::new(),
        };
        let (errors, warnings) = (split(errors), split(warnings));
        let codegen_inputs = match codegen_inputs {
            Ok(found) if errors.findings.is_empty() => found,
            _ => {
                return Ok(Generation {
                    generated: None,
                    errors,
                    warnings,
                    inputs,
                    timings,
                });
            }
        };
        let started = std::time::Instant::now();
        let model = Model::new(&compilation.pool, &self.config.codegen)
            .map_err(|e| Error::build(format!("protoforge: {e}"), None))?;
        let (files, descriptor_set) = codegen_inputs;
        let generated = codegen::generate(codegen::Input {
            files,
            descriptor_set,
            model,
            descriptor_path,
        })
        .map_err(|e| Error::build(format!("protoforge: code generation failed: {e}"), None))?;
        timings.push(("codegen", started.elapsed()));
        Ok(Generation {
            generated: Some(generated),
            errors,
            warnings,
            inputs,
            timings,
        })
    }
}
