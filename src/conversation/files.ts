import type { FileHandler } from "./core.js";

/** Files sent to the bot (Excel imports by office users). */
export const handleFile: FileHandler = async (ctx, file) => {
  ctx.reply(`已收到文件“${file.fileName}”，但暂不支持通过文件办理业务。请发送文字命令，回复“帮助”查看用法。`);
};
