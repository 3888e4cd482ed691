/** The display theme chooser (merged into `en`). */
export const themeEn = {
  'theme.label': 'Display',
  'theme.light': 'Light',
  'theme.dark': 'Dark',
  'theme.contrast': 'High contrast',
  'theme.large': 'Large text',
};
