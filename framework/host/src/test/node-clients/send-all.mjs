// Sends every call type of the official Segment and Amplitude Node.js SDKs, unchanged, to a running Weir, with
// the client's clock skewed by SKEW_MS (a fake Date installed before the SDKs load). Prints one JSON line per call
// with the true (unskewed) time it was made, then "DONE". Used by NodeClientsIT.
//   node send-all.mjs <base url> <key> <skew ms>
const [base, key, skewArg] = process.argv.slice(2);
const SKEW = Number(skewArg);
const RealDate = Date;
class SkewedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) {
      super(RealDate.now() + SKEW);
    } else {
      super(...args);
    }
  }
  static now() {
    return RealDate.now() + SKEW;
  }
}
globalThis.Date = SkewedDate;

const out = (o) => console.log(JSON.stringify(o));
const call = (id) => out({ call: id, trueTime: RealDate.now() });

const { Analytics } = await import('@segment/analytics-node');
const segment = new Analytics({ writeKey: key, host: base, flushAt: 50, flushInterval: 300, maxRetries: 2 });
segment.on('http_request', (r) => out({ sdk: 'segment', url: r.url }));
segment.on('error', (e) => out({ sdk: 'segment', error: String(e && (e.reason || e.message || e.code)) }));
const context = {
  ip: '198.51.100.7',
  locale: 'de-DE',
  timezone: 'Europe/Berlin',
  userAgent: 'weir-test/1.0',
  campaign: { name: 'spring', source: 'newsletter', medium: 'email' },
  page: { url: 'https://shop.example/pricing', referrer: 'https://search.example/' },
  os: { name: 'macOS', version: '14.4' },
  device: { manufacturer: 'Apple', model: 'MacBookPro18,3', type: 'mac' },
  location: { city: 'Berlin', country: 'DE', latitude: 52.52, longitude: 13.405 },
};
call('seg-identify-1');
segment.identify({ userId: 'seg-user-1', traits: { email: 'ada@example.com', plan: 'pro' }, context, messageId: 'seg-identify-1' });
call('seg-track-1');
segment.track({
  userId: 'seg-user-1',
  event: 'Order Completed',
  properties: { revenue: 42.5, currency: 'EUR', productId: 'sku-1', price: 21.25, quantity: 2 },
  context,
  integrations: { All: true, Mixpanel: false },
  messageId: 'seg-track-1',
});
call('seg-page-1');
segment.page({ anonymousId: 'seg-anon-1', category: 'Docs', name: 'Pricing', properties: { path: '/pricing' }, messageId: 'seg-page-1' });
call('seg-screen-1');
segment.screen({ userId: 'seg-user-1', name: 'Home', properties: { variant: 'b' }, messageId: 'seg-screen-1' });
call('seg-group-1');
segment.group({ userId: 'seg-user-1', groupId: 'acme', traits: { group_type: 'org', seats: 5 }, messageId: 'seg-group-1' });
call('seg-alias-1');
segment.alias({ userId: 'seg-user-1', previousId: 'seg-anon-1', messageId: 'seg-alias-1' });
await segment.closeAndFlush({ timeout: 30000 });

const amplitude = await import('@amplitude/analytics-node');
const client = amplitude.createInstance();
await client.init(key, {
  serverUrl: base + '/2/httpapi',
  flushIntervalMillis: 300,
  flushQueueSize: 50,
  logLevel: amplitude.Types.LogLevel.Warn,
}).promise;
const who = { user_id: 'amp-user-1', device_id: 'amp-device-1' };
call('amp-track-1');
client.track('Button Clicked', { color: 'blue', count: 3 }, { ...who, insert_id: 'amp-track-1', platform: 'Node.js', os_name: 'linux', country: 'DE', ip: '203.0.113.5' });
call('amp-identify-1');
const identify = new amplitude.Identify()
  .set('plan', 'pro')
  .setOnce('first_seen', '2026-01-01')
  .add('logins', 1)
  .append('tags', 'beta')
  .prepend('tags_first', 'first')
  .preInsert('list_a', 'x')
  .postInsert('list_b', 'y')
  .remove('list_c', 'z')
  .unset('trial');
client.identify(identify, { ...who, insert_id: 'amp-identify-1' });
call('amp-clearall-1');
client.identify(new amplitude.Identify().clearAll(), { ...who, insert_id: 'amp-clearall-1' });
call('amp-setgroup-1');
client.setGroup('org', ['acme', 'globex'], { ...who, insert_id: 'amp-setgroup-1' });
call('amp-groupidentify-1');
client.groupIdentify('org', 'acme', new amplitude.Identify().set('seats', 5).add('logins', 1), { ...who, insert_id: 'amp-groupidentify-1' });
call('amp-revenue-1');
const revenue = new amplitude.Revenue()
  .setProductId('sku-9')
  .setPrice(9.5)
  .setQuantity(3)
  .setRevenueType('purchase')
  .setCurrency('EUR')
  .setReceipt('receipt-1')
  .setReceiptSig('sig-1')
  .setEventProperties({ coupon: 'SPRING' });
client.revenue(revenue, { ...who, insert_id: 'amp-revenue-1' });
const result = await client.flush().promise;
out({ sdk: 'amplitude', flushed: true, result: result === undefined ? null : result });
out({ done: true, segmentVersion: (await import('@segment/analytics-node/package.json', { with: { type: 'json' } }).catch(() => ({ default: {} }))).default.version });
