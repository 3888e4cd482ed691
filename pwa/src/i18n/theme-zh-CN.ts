import type { themeEn } from './theme-en';

/** 显示主题选择（并入 `zhCN`）。 */
export const themeZhCN: Record<keyof typeof themeEn, string> = {
  'theme.label': '显示',
  'theme.light': '浅色',
  'theme.dark': '深色',
  'theme.contrast': '高对比度',
  'theme.large': '大字体',
};
