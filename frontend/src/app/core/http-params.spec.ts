import { toParams } from './http-params';

describe('toParams', () => {
  it('keeps set values as text, trims strings and leaves out empty ones', () => {
    const params = toParams({
      page: 2,
      pageSize: 25,
      q: '  Dupont ',
      status: '',
      band: null,
      from: undefined,
      mine: false,
    });
    expect(params.toString()).toBe('page=2&pageSize=25&q=Dupont&mine=false');
  });

  it('repeats the key of an array, without its empty items', () => {
    expect(toParams({ band: ['high', ' ', 'moderate'] }).toString()).toBe('band=high&band=moderate');
  });
});
