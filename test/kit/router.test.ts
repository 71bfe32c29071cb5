import { describe, expect, it } from 'vitest';
import { ADMIN_PATH, initiativePath, matchRoute, peoplePath } from '../../src/kit/router.ts';

describe('the routes of people and access', () => {
  it('opens the admin console and an initiative’s members screen', () => {
    expect(matchRoute(ADMIN_PATH)).toEqual({ name: 'admin' });
    expect(matchRoute('/admin/')).toEqual({ name: 'admin' });
    expect(matchRoute(peoplePath('a b/c'))).toEqual({ name: 'people', id: 'a b/c' });
    expect(matchRoute(initiativePath('x1'))).toEqual({ name: 'initiative', id: 'x1' });
    expect(matchRoute('/i/x1/people/more')).toEqual({ name: 'not-found' });
    expect(matchRoute('/administration')).toEqual({ name: 'not-found' });
  });
});
