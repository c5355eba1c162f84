// The strings of the Settings view's sub-navigation and of the header's user menu.
export const fi = {
  'app.userNav': 'Käyttäjän valikko',
  'settingsNav.label': 'Asetusten osat', 'settingsNav.general': 'Yleiset', 'settingsNav.alarmDelivery': 'Hälytysten välitys', 'settingsNav.doors': 'Kulunvalvonta',
} as const;

export const en: Record<keyof typeof fi, string> = {
  'app.userNav': 'User menu',
  'settingsNav.label': 'Settings sections', 'settingsNav.general': 'General', 'settingsNav.alarmDelivery': 'Alarm delivery', 'settingsNav.doors': 'Door access',
};
