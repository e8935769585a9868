import { FRENCH_REGIONS } from '../api/identity.js';
import {
  DEPARTEMENT_NAMES,
  departementName,
  departementsOfRegion,
  formatTerritoryItem,
  parseTerritoryItem,
} from './territories.js';

describe('report territories', () => {
  it('names every département of every region', () => {
    const codes = Object.values(FRENCH_REGIONS).flat();
    expect(codes).toHaveLength(101);
    expect(Object.keys(DEPARTEMENT_NAMES).sort()).toEqual([...codes].sort());
    expect(departementName('62')).toBe('Pas-de-Calais');
    expect(departementsOfRegion('Hauts-de-France')).toEqual(['02', '59', '60', '62', '80']);
    expect(departementsOfRegion('Atlantis')).toEqual([]);
  });

  it('parses département codes and region items, refusing unknown ones', () => {
    expect(parseTerritoryItem(' 57 ')).toEqual({ kind: 'departement', code: '57' });
    expect(parseTerritoryItem('2a')).toEqual({ kind: 'departement', code: '2A' });
    expect(parseTerritoryItem('974')).toEqual({ kind: 'departement', code: '974' });
    expect(parseTerritoryItem('region:hauts-de-france')).toEqual({ kind: 'region', name: 'Hauts-de-France' });
    expect(parseTerritoryItem('region:Île-de-France')).toEqual({ kind: 'region', name: 'Île-de-France' });
    expect(formatTerritoryItem({ kind: 'region', name: 'Corse' })).toBe('region:Corse');
    expect(parseTerritoryItem('99')).toBeUndefined();
    expect(parseTerritoryItem('6')).toBeUndefined();
    expect(parseTerritoryItem('region:Atlantis')).toBeUndefined();
  });
});
