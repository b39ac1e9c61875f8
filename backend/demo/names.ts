// The one place for the demo network's names: places, cities, streets, station hardware, password words.
// Both the demo generator (backend/demo/network.ts) and the large test and benchmark network (tests/support/largeNetwork.ts) use these.

/** A place a site is named after; `street` when the place is itself a street (then the address is on it). */
export interface PlaceName {
  name: string;
  code: string;
  street?: string;
}

export const PLACES: readonly PlaceName[] = [
  { name: 'Harbour Street', code: 'HRB', street: 'Harbour Street' },
  { name: 'Westfield', code: 'WSF' },
  { name: 'Riverside', code: 'RVS' },
  { name: 'Kingsway', code: 'KGW', street: 'Kingsway' },
  { name: 'Victoria Road', code: 'VIC', street: 'Victoria Road' },
  { name: 'Station Approach', code: 'STA', street: 'Station Approach' },
  { name: 'Market Square', code: 'MKT', street: 'Market Square' },
  { name: 'Castle Mead', code: 'CSM' },
  { name: 'Meadowbank', code: 'MDB' },
  { name: 'Northgate', code: 'NGT', street: 'Northgate' },
  { name: 'Elm Park', code: 'ELM' },
  { name: 'Quayside', code: 'QYS', street: 'Quayside' },
  { name: 'Abbey Fields', code: 'ABF' },
  { name: 'Millbrook', code: 'MLB' },
  { name: 'Canal Wharf', code: 'CNW', street: 'Canal Wharf' },
  { name: 'Oakwood', code: 'OKW' },
  { name: 'St John\u2019s', code: 'SJN' },
  { name: 'Greenbank', code: 'GRB' },
  { name: 'Cathedral Quarter', code: 'CTQ' },
  { name: 'Hillside', code: 'HLS' },
  { name: 'Brunel Way', code: 'BRW', street: 'Brunel Way' },
  { name: 'Fox Lane', code: 'FXL', street: 'Fox Lane' },
  { name: 'Lakeside', code: 'LKS' },
  { name: 'Central Parade', code: 'CTP', street: 'Central Parade' },
];

/** What kind of place a site is; the name reads "<place> <kind>". */
export const SITE_KINDS: readonly string[] = [
  'Car Park',
  'Retail Park',
  'Service Station',
  'Park & Ride',
  'Leisure Centre',
  'Business Park',
  'Shopping Centre',
  'Superstore',
  'Fleet Depot',
  'Charging Hub',
  'Multi-Storey',
  'Hotel',
];

export interface City {
  name: string;
  /** Outward postcode area, e.g. "BS". */
  postcode: string;
}

export const CITIES: readonly City[] = [
  { name: 'Bristol', postcode: 'BS' },
  { name: 'Leeds', postcode: 'LS' },
  { name: 'Manchester', postcode: 'M' },
  { name: 'Glasgow', postcode: 'G' },
  { name: 'Edinburgh', postcode: 'EH' },
  { name: 'Cardiff', postcode: 'CF' },
  { name: 'Brighton', postcode: 'BN' },
  { name: 'Norwich', postcode: 'NR' },
  { name: 'York', postcode: 'YO' },
  { name: 'Oxford', postcode: 'OX' },
  { name: 'Cambridge', postcode: 'CB' },
  { name: 'Nottingham', postcode: 'NG' },
  { name: 'Sheffield', postcode: 'S' },
  { name: 'Liverpool', postcode: 'L' },
  { name: 'Newcastle upon Tyne', postcode: 'NE' },
  { name: 'Belfast', postcode: 'BT' },
  { name: 'Aberdeen', postcode: 'AB' },
  { name: 'Exeter', postcode: 'EX' },
  { name: 'Plymouth', postcode: 'PL' },
  { name: 'Southampton', postcode: 'SO' },
];

/** Streets for sites whose place is not itself a street. */
export const STREETS: readonly string[] = [
  'High Street',
  'Church Road',
  'Mill Lane',
  'London Road',
  'Park Avenue',
  'Queen Street',
  'Bridge Street',
  'Commercial Road',
  'Station Road',
  'George Street',
  'Albert Road',
  'Manor Way',
  'Wharf Road',
  'Industrial Estate Road',
  'Chapel Street',
];

export interface ConnectorSpec {
  type: 'Type2' | 'CCS2' | 'CHAdeMO';
  maxKw: number;
}

/** A station model: vendor and model fit OCPP's 20-character limits; `layout` lists its EVSEs (largest build). */
export interface StationKind {
  vendor: string;
  model: string;
  /** How often this kind appears, relative to the others. */
  weight: number;
  /** Share of these stations that speak OCPP 2.0.1 (the rest speak 1.6). */
  share201: number;
  /** EVSEs as built for OCPP 2.0.1; a 1.6 build gives every connector its own connectorId. */
  layout: readonly (readonly ConnectorSpec[])[];
}

const t2 = (maxKw: number): ConnectorSpec => ({ type: 'Type2', maxKw });
const ccs = (maxKw: number): ConnectorSpec => ({ type: 'CCS2', maxKw });
const chademo = (maxKw: number): ConnectorSpec => ({ type: 'CHAdeMO', maxKw });

export const STATION_KINDS: readonly StationKind[] = [
  { vendor: 'Alfen', model: 'Eve Double Pro-line', weight: 6, share201: 0.3, layout: [[t2(22)], [t2(22)]] },
  { vendor: 'ABB', model: 'Terra AC W22-T', weight: 3, share201: 0.5, layout: [[t2(22)]] },
  { vendor: 'Wallbox', model: 'Commander 2', weight: 2, share201: 0.2, layout: [[t2(22)]] },
  { vendor: 'Mennekes', model: 'AMTRON Charge Cont', weight: 3, share201: 0.4, layout: [[t2(22)], [t2(22)]] },
  { vendor: 'Zaptec', model: 'Pro', weight: 2, share201: 0.6, layout: [[t2(22)], [t2(22)], [t2(22)], [t2(22)]] },
  { vendor: 'EVBox', model: 'BusinessLine', weight: 2, share201: 0.3, layout: [[t2(11)], [t2(11)]] },
  { vendor: 'ABB', model: 'Terra 54 CJG', weight: 3, share201: 0.4, layout: [[ccs(50), chademo(50)], [t2(43)]] },
  { vendor: 'Efacec', model: 'QC45', weight: 1, share201: 0.1, layout: [[ccs(50), chademo(50)], [t2(43)]] },
  { vendor: 'Tritium', model: 'RTM75', weight: 2, share201: 0.5, layout: [[ccs(75), chademo(50)]] },
  { vendor: 'Tritium', model: 'PKM150', weight: 2, share201: 0.7, layout: [[ccs(150)], [ccs(150)]] },
  { vendor: 'Alpitronic', model: 'HYC300', weight: 3, share201: 0.7, layout: [[ccs(300)], [ccs(300)]] },
  {
    vendor: 'Kempower',
    model: 'S-Series Satellite',
    weight: 2,
    share201: 0.8,
    layout: [[ccs(200)], [ccs(200)], [ccs(200)], [ccs(200)]],
  },
  { vendor: 'ABB', model: 'Terra HP', weight: 1, share201: 0.5, layout: [[ccs(350)], [ccs(350), chademo(100)]] },
  { vendor: 'Kempower', model: 'C-Series', weight: 1, share201: 0.6, layout: [[ccs(150), chademo(100)], [ccs(150)]] },
];

/** Words for generated demo passwords. */
export const PASSWORD_WORDS: readonly string[] = [
  'amber',
  'falcon',
  'copper',
  'harbour',
  'meadow',
  'orbit',
  'pylon',
  'quartz',
  'ripple',
  'signal',
  'tundra',
  'volt',
  'willow',
  'zephyr',
  'beacon',
  'cobalt',
  'delta',
  'ember',
  'fjord',
  'granite',
];

/** Id tags (RFID card numbers) that simulated drivers present. */
export const ID_TAGS: readonly string[] = [
  '04A2B3C4D5E6F7',
  '04B1C2D3E4F5A6',
  '0477E3A2C1B0D9',
  '04F00DBA5E1234',
  '04C0FFEE123456',
  '04DEC0DE654321',
];
