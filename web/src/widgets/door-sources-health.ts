// The door-access sources on the System view: each one's state, when it was last heard, its counters.
import { api } from '../api.js';
import { h } from '../dom.js';
import { formatTime, t } from '../i18n.js';

interface SourceHealth { id: string; name: string; kind: string; state: 'starting' | 'up' | 'down' | 'stopped'; lastHeardAt: string | null; counters: Record<string, number>; silent: boolean; problem: string | null }

export async function doorSourcesHealth(): Promise<HTMLElement> {
  const health = await api<{ sources: SourceHealth[]; webhook: Record<string, number>; storedEvents: number }>('GET', '/doors/health');
  const counts = (counters: Record<string, number>): string => Object.entries(counters).filter(([, n]) => n > 0).map(([name, n]) => `${name} ${n}`).join(', ') || '–';
  return h('section', { id: 'door-sources-health' },
    h('h2', {}, t('doorHealth.title')),
    health.sources.length === 0
      ? h('p', {}, t('doorHealth.none'))
      : h('table', {},
          h('thead', {}, h('tr', {}, ...(['doorHealth.source', 'doorHealth.state', 'doorHealth.lastHeard', 'doorHealth.counters'] as const).map((key) => h('th', { scope: 'col' }, t(key))))),
          h('tbody', {}, ...health.sources.map((source) =>
            h('tr', {},
              h('td', {}, `${source.name} (${source.id}, ${source.kind})`),
              h('td', { class: source.state === 'up' && !source.silent ? 'ok' : 'error' }, `${t(`doorHealth.state.${source.state}`)}${source.silent ? `, ${t('doorHealth.silent')}` : ''}${source.problem === null ? '' : ` – ${source.problem}`}`),
              h('td', {}, formatTime(source.lastHeardAt)),
              h('td', {}, counts(source.counters)),
            )))),
    h('p', {}, t('doorHealth.stored', { n: health.storedEvents }), ' ', t('doorHealth.webhook', { counts: counts(health.webhook) })),
  );
}
