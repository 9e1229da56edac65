//! Help and errors of the command line in Chinese. clap writes both in English (`Usage:`,
//! `Options`, `error: unexpected argument`); the help headings come from the templates below,
//! the built-in `-h`/`-V` flags are replaced by ones with Chinese help (in `args`), and parse
//! errors are written by [`Zh`], a clap [`ErrorFormatter`] that reads the error's context.

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, Error, ErrorFormatter, ErrorKind};

/// The help of `yanshou` itself.
pub const TOP_HELP: &str =
    "{about-with-newline}\n用法：{usage}\n\n命令：\n{subcommands}\n\n选项：\n{options}{after-help}";

/// The help of a command: every command has positional arguments and options.
pub const COMMAND_HELP: &str =
    "{about-with-newline}\n用法：{usage}\n\n参数：\n{positionals}\n\n选项：\n{options}{after-help}";

/// The words clap puts in a usage line.
pub fn usage_zh(usage: &str) -> String {
    usage
        .replace("Usage: ", "")
        .replace("[OPTIONS]", "[选项]")
        .replace("<COMMAND>", "<命令>")
}

/// Parse errors in Chinese: what was wrong, a suggestion when clap has one, the usage, and
/// where to read more.
pub struct Zh;

impl ErrorFormatter for Zh {
    fn format_error(error: &Error<Self>) -> StyledStr {
        let text = |k: ContextKind| error.get(k).map(value_text).unwrap_or_default();
        let arg = text(ContextKind::InvalidArg);
        let value = text(ContextKind::InvalidValue);
        let mut s = format!("错误：{}", message(error, &arg, &value));
        let valid = text(ContextKind::ValidValue);
        if !valid.is_empty() && error.kind() == ErrorKind::InvalidValue {
            s.push_str(&format!("（可选：{valid}）"));
        }
        for (kind, what) in [
            (ContextKind::SuggestedSubcommand, "命令"),
            (ContextKind::SuggestedArg, "参数"),
            (ContextKind::SuggestedValue, "值"),
        ] {
            // Several suggestions are alternatives: “serve”或“search”.
            let v = match error.get(kind) {
                Some(ContextValue::Strings(v)) => v.join("”或“"),
                Some(v) => value_text(v),
                None => continue,
            };
            if !v.is_empty() {
                s.push_str(&format!("\n\n  提示：是否想用{what}“{v}”？"));
            }
        }
        if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
            s.push_str(&format!("\n\n用法：{}", usage_zh(&usage.to_string())));
        }
        s.push_str("\n\n更多信息请运行 --help\n");
        StyledStr::from(s)
    }
}

/// The first line of an error.
fn message(error: &Error<Zh>, arg: &str, value: &str) -> String {
    match error.kind() {
        ErrorKind::InvalidValue if value.is_empty() => format!("{arg} 需要一个值"),
        ErrorKind::InvalidValue => format!("{arg} 不接受“{value}”"),
        ErrorKind::ValueValidation => format!("{arg} 的值“{value}”无效"),
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => format!(
            "没有“{}”这个命令",
            error
                .get(ContextKind::InvalidSubcommand)
                .map(value_text)
                .unwrap_or_default()
        ),
        ErrorKind::NoEquals => format!("{arg} 的值须用等号给出"),
        ErrorKind::TooManyValues => format!("{arg} 给出的值太多：“{value}”"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 给出的值个数不对")
        }
        ErrorKind::ArgumentConflict => {
            let prior = error
                .get(ContextKind::PriorArg)
                .map(value_text)
                .unwrap_or_default();
            if prior.is_empty() || prior == arg {
                format!("{arg} 只能给出一次")
            } else {
                format!("{arg} 不能与 {prior} 同时使用")
            }
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        _ => "命令行有误".to_string(),
    }
}

/// A context value as text: several values joined by 、.
fn value_text(v: &ContextValue) -> String {
    match v {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(v) => v.join("、"),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(v) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("、"),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}
