// Settings, door access: the sources of door events (webhook, pull feed, OSDP reader) and the
// policies around them, a sub-page of the Settings view.
import { t } from '../i18n.js';
import { screen } from '../router.js';
import { doorSettingsEditor } from '../widgets/door-settings.js';
import { settingsSections } from '../widgets/settings-sections.js';

export async function doorSettingsView(): Promise<void> {
  const show = screen();
  const editor = await doorSettingsEditor();
  show(t('settings.title'), settingsSections('doors'), editor);
}
