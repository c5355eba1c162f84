// The Settings view's sub-navigation: the general settings, alarm delivery and door access are
// sub-pages of one main-menu entry (#/settings, #/settings/alarm-delivery, #/settings/doors), so
// a maintainer's main menu stays one row.
import { h } from '../dom.js';
import { t, type MessageKey } from '../i18n.js';

export type SettingsSection = 'general' | 'alarm-delivery' | 'doors';

const SECTIONS: ReadonlyArray<{ section: SettingsSection; hash: string; label: MessageKey }> = [
  { section: 'general', hash: '#/settings', label: 'settingsNav.general' },
  { section: 'alarm-delivery', hash: '#/settings/alarm-delivery', label: 'settingsNav.alarmDelivery' },
  { section: 'doors', hash: '#/settings/doors', label: 'settingsNav.doors' },
];

export function settingsSections(current: SettingsSection): HTMLElement {
  return h('nav', { class: 'subnav', id: 'settings-sections', 'aria-label': t('settingsNav.label') },
    ...SECTIONS.map(({ section, hash, label }) => h('a', { href: hash, ...(section === current ? { 'aria-current': 'page' } : {}) }, t(label))));
}
