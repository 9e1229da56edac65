//! Command-line arguments. Clap types stay here: `main` turns them into library options.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "yanshou",
    version,
    about = "验收：按申报指南检查项目交付材料（字数、案例、活动、重复）"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 打印文件的正文文本（段落按阅读顺序，每段一行）
    Extract {
        /// .docx、.pdf、.txt 或 .md 文件
        file: PathBuf,
    },
    /// 按 Word“字数统计”的规则统计字数
    Count {
        /// 输出 JSON（yanshou.count.v1）
        #[arg(long)]
        json: bool,
        /// 包括文本框、脚注和尾注（Word 的同名选项）
        #[arg(long)]
        include_notes: bool,
        /// 要统计的文件或文件夹
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// 读取申报指南，输出各项目的考核要求（yanshou.spec.v1）
    Guide {
        /// 输出 JSON（yanshou.spec.v1）
        #[arg(long)]
        json: bool,
        /// 申报指南文件（.txt、.md、.docx、.pdf）
        file: PathBuf,
    },
}
