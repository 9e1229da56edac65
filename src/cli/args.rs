//! Command-line arguments. Clap types stay here: the commands turn them into library options.

use std::path::PathBuf;

use clap::{ArgAction, Parser, Subcommand, ValueEnum};

use super::zh::{COMMAND_HELP, TOP_HELP};

// Help in Chinese: clap's own -h/-V and `help` command are replaced by flags with Chinese
// help, the headings come from the templates in `zh`, and defaults are said in the help
// text ("默认 50") rather than by clap's "[default: 50]".
#[derive(Debug, Parser)]
#[command(
    name = "yanshou",
    version,
    about = "验收：按申报指南检查项目交付材料（字数、案例、活动、重复）",
    help_template = TOP_HELP,
    subcommand_value_name = "命令",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 打印文件的正文文本（段落按阅读顺序，每段一行）
    #[command(help_template = COMMAND_HELP)]
    Extract {
        /// .docx、.pdf、.txt 或 .md 文件
        #[arg(value_name = "文件")]
        file: PathBuf,
    },
    /// 按 Word“字数统计”的规则统计字数
    #[command(help_template = COMMAND_HELP)]
    Count {
        /// 输出 JSON（yanshou.count.v1）
        #[arg(long)]
        json: bool,
        /// 包括文本框、脚注和尾注（Word 的同名选项）
        #[arg(long)]
        include_notes: bool,
        /// 要统计的文件或文件夹
        #[arg(required = true, value_name = "文件")]
        files: Vec<PathBuf>,
    },
    /// 读取申报指南，输出各项目的考核要求（yanshou.spec.v1）
    #[command(help_template = COMMAND_HELP)]
    Guide {
        /// 输出 JSON（yanshou.spec.v1）
        #[arg(long)]
        json: bool,
        /// 申报指南文件（.txt、.md、.docx、.pdf）
        #[arg(value_name = "指南")]
        file: PathBuf,
    },
    /// 批量验收：读取指南与各项目材料，输出验收清单、汇总表与历史（夜间任务）
    #[command(help_template = COMMAND_HELP)]
    Batch {
        /// 批次目录（含 guidelines/、projects/）
        #[arg(value_name = "批次目录")]
        batch_dir: PathBuf,
        /// 输出目录
        #[arg(long, value_name = "输出目录")]
        out: PathBuf,
        /// 计算逾期天数所用的日期（YYYY-MM-DD，默认今天）
        #[arg(long, value_name = "日期")]
        today: Option<String>,
        /// 不显示进度，只显示最后的统计行
        #[arg(long)]
        quiet: bool,
    },
    /// 根据立项名单（或提交文件的标题）为各项目文件夹生成 project.toml，列出无法对应的文件夹与项目
    Init {
        /// 批次目录（含 guidelines/、projects/，立项名单放在其下）
        batch_dir: PathBuf,
        /// 立项名单文件（.xlsx、.xls、.et、.ods、.csv），默认用批次目录下名为“立项名单”等的表格
        #[arg(long)]
        roster: Option<PathBuf>,
    },
    /// 验收单个项目（批次目录 projects/ 下的一个项目文件夹）
    #[command(help_template = COMMAND_HELP)]
    Check {
        /// 项目文件夹
        #[arg(value_name = "项目目录")]
        project_dir: PathBuf,
        /// 输出 JSON（yanshou.checklist.v1）
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// 输出格式：md、html、docx、json（默认 md）
        #[arg(long, value_enum, value_name = "格式", hide_possible_values = true)]
        format: Option<CheckFormat>,
        /// 写入文件而不是标准输出（docx 必须指定）
        #[arg(short = 'o', long, value_name = "文件")]
        output: Option<PathBuf>,
        /// 计算逾期天数所用的日期（YYYY-MM-DD，默认今天）
        #[arg(long, value_name = "日期")]
        today: Option<String>,
    },
    /// 查找文件之间重复的段落（所有文件两两比对）
    #[command(help_template = COMMAND_HELP)]
    Overlap {
        /// 输出 JSON（yanshou.overlap.v1）
        #[arg(long)]
        json: bool,
        /// 报告的最短重复片段（字，不计标点），默认 50
        #[arg(
            long,
            default_value_t = 50,
            value_name = "字数",
            hide_default_value = true
        )]
        min_chars: u32,
        /// 申报指南：其中的文字被引用不算重复（可多次给出）
        #[arg(long = "call", value_name = "指南")]
        calls: Vec<PathBuf>,
        /// 另存 HTML 报告（重复文字标红、引用标绿）
        #[arg(long, value_name = "文件")]
        html: Option<PathBuf>,
        /// 只比对不同分组的文件：所给文件夹下第 N 层子文件夹为一组（如 --across 1 时
        /// projects/P01/ 与 projects/P02/ 各为一组，同一项目的文件之间不算重复）
        #[arg(long, value_name = "N")]
        across: Option<usize>,
        /// 要比对的文件或文件夹
        #[arg(required = true, value_name = "文件")]
        paths: Vec<PathBuf>,
    },
    /// 导出指纹为 Parquet，供 Spark 作业 scale/candidate_pairs.py 找候选文件对（全国规模；
    /// 需以 --features parquet 编译）
    ExportFingerprints {
        /// 输出目录（写入 fps-NNNN.parquet 与 docs-NNNN.parquet）
        #[arg(long, value_name = "DIR")]
        parquet: PathBuf,
        /// 申报指南或政策文件：其中的文字不算重复（可多次给出）
        #[arg(long = "call")]
        calls: Vec<PathBuf>,
        /// 同 overlap --across：所给文件夹下第 N 层子文件夹为一组
        #[arg(long, value_name = "N")]
        across: Option<usize>,
        /// 分片号（文件名中的 NNNN），多台机器分头导出时各用一个
        #[arg(long, default_value_t = 0)]
        shard: u32,
        /// 本分片第一个文档的编号（各分片的编号范围不得重叠）
        #[arg(long, default_value_t = 0)]
        first_doc: u32,
        /// 要导出的文件或文件夹
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// 由 Spark 作业写出的种子对齐出重复片段，输出与 overlap --json 相同的 JSON
    /// （需以 --features parquet 编译）
    Align {
        /// candidate_pairs.py 的输出目录（含 seeds/、docs/、params/）
        #[arg(long, value_name = "DIR")]
        seeds: PathBuf,
        /// 报告的最短重复片段（字，不计标点），默认 50，须与 overlap 相同才得到相同结果
        #[arg(long, default_value_t = 50)]
        min_chars: u32,
        /// 只对齐 seeds/ 中第 I 份（从 0 起，共 N 份）种子分片，输出分片结果 JSON，
        /// 供 --merge 合并（多台机器各取一份）
        #[arg(long, value_name = "I/N", conflicts_with_all = ["parts", "merge"])]
        shard: Option<String>,
        /// 只对齐这些种子分片文件（seeds/ 中的 part-*.parquet），输出分片结果 JSON
        #[arg(long = "part", value_name = "FILE", conflicts_with = "merge")]
        parts: Vec<PathBuf>,
        /// 合并各份分片结果（--shard 或 --part 的输出），输出与 overlap --json 相同的 JSON
        #[arg(long, value_name = "结果", num_args = 1.., conflicts_with = "min_chars")]
        merge: Vec<PathBuf>,
    },
    /// 建立或更新全文检索索引（只处理新增或改动的文件）
    #[command(help_template = COMMAND_HELP)]
    Index {
        /// 索引目录
        #[arg(long, value_name = "索引目录")]
        index: PathBuf,
        /// 要索引的文件或文件夹
        #[arg(required = true, value_name = "文件")]
        paths: Vec<PathBuf>,
    },
    /// 在浏览器中查看批次结果：提供输出目录中的网页，并可全文检索（只读）
    Serve {
        /// batch 的输出目录（含 index.html）
        out_dir: PathBuf,
        /// 监听地址（默认只允许本机访问）
        #[arg(long, default_value = yanshou::serve::DEFAULT_ADDR)]
        addr: std::net::SocketAddr,
        /// 允许在本机以外的地址上监听（能连到本机的人都能看到全部结果）
        #[arg(long)]
        allow_remote: bool,
    },
    /// 在索引中检索（包含查询词的文件一定会被找到）
    #[command(help_template = COMMAND_HELP)]
    Search {
        /// 索引目录
        #[arg(long, value_name = "索引目录")]
        index: PathBuf,
        /// 输出 JSON（yanshou.search.v1）
        #[arg(long)]
        json: bool,
        /// 最多返回条数，默认 20
        #[arg(
            long,
            default_value_t = 20,
            value_name = "条数",
            hide_default_value = true
        )]
        limit: usize,
        /// 只看某年
        #[arg(long, value_name = "年")]
        year: Option<u64>,
        /// 只看某类材料（如 研究报告）
        #[arg(long, value_name = "类别")]
        label: Option<String>,
        /// 只看某单位
        #[arg(long, value_name = "单位")]
        org: Option<String>,
        /// 查询：空格分隔的词都须出现；"引号" 内为整句；-词 表示排除
        #[arg(value_name = "查询")]
        query: String,
    },
}

/// The formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Md,
    Html,
    Docx,
    Json,
}

impl From<CheckFormat> for yanshou::render::Format {
    fn from(f: CheckFormat) -> Self {
        match f {
            CheckFormat::Md => yanshou::render::Format::Md,
            CheckFormat::Html => yanshou::render::Format::Html,
            CheckFormat::Docx => yanshou::render::Format::Docx,
            CheckFormat::Json => yanshou::render::Format::Json,
        }
    }
}
