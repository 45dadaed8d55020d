/** The Graph evidence the entity mapping has no place for is kept for the analyst: registry entries, mailboxes, every other type. */
import { graphAlertContextOf } from '../../../ingest/defender/graphAlertContext';
import { evidence, graphAlert } from './graphAlerts';

test('registry values, mailboxes, context-only and unknown evidence types are kept; entity-carrying ones are not repeated', () => {
  const context = graphAlertContextOf(
    graphAlert({
      evidence: [
        evidence('registryValueEvidence', { registryHive: 'HKEY_CURRENT_USER', registryKey: 'Software\\Microsoft\\Windows\\CurrentVersion\\Run', registryValueName: 'updater', registryValue: 'C:\\Users\\Public\\u.exe', registryValueType: 'String' }),
        evidence('mailboxEvidence', { primaryAddress: 'j.becker@mueller-logistik.example', upn: 'j.becker@mueller-logistik.example', displayName: 'Jana Becker' }),
        evidence('oauthApplicationEvidence', { appId: '3b5d4c1a-0000-4000-8000-000000000001', displayName: 'Mail Sync Pro', publisher: 'Unverified', objectId: null }),
        { '@odata.type': '#microsoft.graph.security.quantumWidgetEvidence', verdict: 'suspicious', widgetName: 'qw-7', nested: { ignored: true } },
        evidence('ipEvidence', { ipAddress: '203.0.113.7' }),
      ],
    }),
  );
  expect(context?.registry).toEqual([
    { hive: 'HKEY_CURRENT_USER', key: 'Software\\Microsoft\\Windows\\CurrentVersion\\Run', valueName: 'updater', value: 'C:\\Users\\Public\\u.exe', valueType: 'String' },
  ]);
  expect(context?.mailboxes).toEqual([{ address: 'j.becker@mueller-logistik.example', upn: 'j.becker@mueller-logistik.example', displayName: 'Jana Becker' }]);
  expect(context?.otherEvidence).toEqual([
    { type: 'oauthApplicationEvidence', verdict: 'suspicious', details: { appId: '3b5d4c1a-0000-4000-8000-000000000001', displayName: 'Mail Sync Pro', publisher: 'Unverified' } },
    { type: 'quantumWidgetEvidence', verdict: 'suspicious', details: { widgetName: 'qw-7' } },
  ]);
});

test('a raw record that is no Graph alert has no Graph context', () => {
  expect(graphAlertContextOf({ vendor: 'edr', detection: 'lsass' })).toBeNull();
  expect(graphAlertContextOf(undefined)).toBeNull();
});
