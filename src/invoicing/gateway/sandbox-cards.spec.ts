import { describeSandboxToken } from './sandbox-cards.js';

describe('describeSandboxToken', () => {
  it.each([
    ['tok_visa', 'visa', '4242'],
    ['tok_chargeDeclined', 'visa', '0002'],
    ['tok_insufficientFunds', 'visa', '9995'],
    ['tok_failOnce', 'visa', '0341'],
    ['tok_failTwice', 'mastercard', '4444'],
  ])('knows %s as a %s ending %s', (token, brand, last4) => {
    expect(describeSandboxToken(token)).toEqual({ brand, last4 });
  });

  it('tells only brand and last4, not the sandbox behaviour', () => {
    expect(Object.keys(describeSandboxToken('tok_visa') ?? {}).sort()).toEqual(['brand', 'last4']);
  });

  it.each([
    'tok_unknown',
    'tok_VISA',
    'TOK_visa',
    'tok_visa ',
    'visa',
    '',
    'toString',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    'valueOf',
  ])('does not know %j', (token) => {
    expect(describeSandboxToken(token)).toBeNull();
  });
});
