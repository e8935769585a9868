import { PARENT_ROLES, USER_ROLES } from './roles.js';

describe('roles', () => {
  it('lists the four console roles and three parent roles', () => {
    expect(USER_ROLES).toHaveLength(4);
    expect(PARENT_ROLES).toEqual(['mother', 'father', 'co_parent']);
  });
});
