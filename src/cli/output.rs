//! What the commands share for the terminal: colour, width, progress, timings, plain printing.

use std::io::{IsTerminal, Write};

use super::ColorChoice;

/// The width human output wraps at: `COLUMNS`, else 100.
pub(super) fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// `PROTOFORGE_TIMINGS=1`: how long each phase took, on stderr.
pub(super) fn print_timings(timings: &[(&'static str, std::time::Duration)]) {
    if std::env::var_os("PROTOFORGE_TIMINGS").is_some() {
        for (phase, took) in timings {
            eprintln!("timing: {phase} {took:?}");
        }
    }
}

pub(super) fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Progress goes to stderr on a terminal, never in CI (`CI` set) or when piped.
pub(super) fn progress_wanted() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// A spinner on stderr for runs that take a while: it appears after 400 ms (a hook on a small
/// change never sees it) and is cleared when dropped.
pub(super) struct Spinner(Option<(std::sync::mpsc::Sender<()>, std::thread::JoinHandle<()>)>);

impl Spinner {
    pub(super) fn start(enabled: bool, message: &'static str) -> Spinner {
        if !enabled {
            return Spinner(None);
        }
        let (done, wait) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            use std::sync::mpsc::RecvTimeoutError::Timeout;
            if wait.recv_timeout(std::time::Duration::from_millis(400)) != Err(Timeout) {
                return;
            }
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar.set_message(message);
            while wait.recv_timeout(std::time::Duration::from_millis(100)) == Err(Timeout) {
                bar.tick();
            }
            bar.finish_and_clear();
        });
        Spinner(Some((done, thread)))
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some((done, thread)) = self.0.take() {
            // Dropping the sender wakes the thread, which clears the spinner and ends.
            drop(done);
            let _ = thread.join();
        }
    }
}

pub(super) fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`protoforge lint | head`) is not an error worth a panic.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
