//! `explainer serve`: builds the site, serves it with live reload and
//! rebuilds it on every edit until Ctrl-C (the work is in `crate::serve`).

use crate::cli::{ServeArgs, Verbosity};
use crate::commands::{EXIT_CONTENT, EXIT_USAGE};
use crate::serve::{self, ServeError, ServeOptions};
use crate::BuildOptions;

pub fn run(args: ServeArgs, verbosity: Verbosity) -> i32 {
    let options = ServeOptions {
        build: BuildOptions {
            root: args.root,
            output: args.output,
            base_url: None,
            drafts: args.drafts,
            future: args.future,
            take_over: args.take_over,
        },
        bind: args.bind,
        port: args.port,
        open: args.open,
        verbosity,
    };
    match serve::serve(options) {
        Ok(()) => 0,
        Err(ServeError::Usage(message)) => {
            eprintln!("error: {message}");
            EXIT_USAGE
        }
        Err(ServeError::Failed(message)) => {
            eprintln!("error: {message}");
            EXIT_CONTENT
        }
    }
}
