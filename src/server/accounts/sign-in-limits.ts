import type { Config } from '../config.ts';
import type { Executor } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { fail, minutesUntil, release, reserve, succeed, type Reservation, type ThrottleRule } from '../throttle/throttle.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/**
 * The three limits on signing in. Knowing a username (a public unit code) must not be enough to keep its owner
 * out, so a lock binds the address that earned it; the account as a whole only slows down new addresses.
 */
export type SignInRules = {
  /** One address on one account: locked after the configured failures, each further lock twice as long. */
  pair: ThrottleRule;
  /** One address across all accounts (and unknown usernames): after 20 failures it must wait, longer each time. */
  address: ThrottleRule;
  /** One account from every address but those it has signed in from: growing waits past four times the limit. */
  account: ThrottleRule;
  /** How long an address the account signed in from stays exempt from the account-wide waits. */
  rememberAddressMs: number;
};

export function signInRules(config: Pick<Config, 'loginMaxFailures' | 'lockoutMinutes'>): SignInRules {
  return {
    pair: { free: config.loginMaxFailures, firstBlockMs: config.lockoutMinutes * minute, maxBlockMs: day, forgetMs: 2 * day },
    address: { free: 20, firstBlockMs: minute, maxBlockMs: 30 * minute, forgetMs: hour },
    account: { free: 4 * config.loginMaxFailures, firstBlockMs: minute, maxBlockMs: 15 * minute, forgetMs: hour },
    rememberAddressMs: 90 * day,
  };
}

export const signInKeys = {
  pair: (accountId: number, address: string) => `signin:${accountId}:${address}`,
  account: (accountId: number) => `signin:${accountId}`,
  address: (address: string) => `signin-from:${address}`,
};

export function lockedForAddress(until: Date) {
  const minutes = minutesUntil(until);
  return new DomainError('account_locked', {
    zh: `密码错误次数过多，该账号在此地址已锁定（${minutes} 分钟后自动解除）：请稍后再试，或请上级管理员解锁`,
    en: `Too many wrong passwords: this account is locked for this address (it unlocks by itself in ${minutes} min); try later, or ask the level above to unlock it`,
  });
}

export function addressHeld(until: Date) {
  const minutes = minutesUntil(until);
  return new DomainError('rate_limited', {
    zh: `此地址登录失败次数过多，请 ${minutes} 分钟后再试`,
    en: `Too many failed sign-ins from this address; try again in ${minutes} min`,
  });
}

export function accountHeld(until: Date) {
  const minutes = minutesUntil(until);
  return new DomainError('rate_limited', {
    zh: `该账号近期在多个地址登录失败，新地址须稍候：请 ${minutes} 分钟后再试，或在常用地址登录；如非本人操作，请联系上级管理员`,
    en: `This account has recently failed to sign in from many addresses, so new addresses must wait: try again in ${minutes} min or from your usual address; if it was not you, tell the level above`,
  });
}

/** Too many attempts at once (a burst still being checked): nothing is blocked, the next try may pass. */
export const busy = () =>
  new DomainError('rate_limited', { zh: '登录尝试过于频繁，请稍后再试', en: 'Too many sign-in attempts at once; try again shortly' });

/** The reservations an admitted sign-in attempt holds until its password is checked. */
export type SignInGate = { pair: Reservation; address: Reservation; account: Reservation | null };

/** What a checked wrong password did to the limits: the lock of this address, the account's waits, the address's hold. */
export type SignInFailure = {
  failures: number;
  lockedUntil: Date | null;
  account: { failures: number; blockedUntil: Date | null } | null;
  addressHeldUntil: Date | null;
};

/** An address-wide reservation for an attempt that names no usable account, or the refusal. */
export async function admitFromAddress(executor: Executor, rules: SignInRules, address: string): Promise<Reservation> {
  const admission = await reserve(executor, signInKeys.address(address), rules.address);
  if (admission.admitted) return admission.reservation;
  throw admission.blockedUntil ? addressHeld(admission.blockedUntil) : busy();
}

/**
 * Admits one attempt on an account before its password is checked, or throws the refusal: first this address on
 * this account (a lock here refuses at once, counting nothing else), then the address across accounts, then
 * the account across addresses unless this address has signed in to it before. A later refusal releases the
 * earlier reservations, since nothing was checked.
 */
export async function admitSignIn(executor: Executor, rules: SignInRules, accountId: number, address: string): Promise<SignInGate> {
  const pairAdmission = await reserve(executor, signInKeys.pair(accountId, address), rules.pair, accountId);
  if (!pairAdmission.admitted) throw pairAdmission.blockedUntil ? lockedForAddress(pairAdmission.blockedUntil) : busy();
  const pair = pairAdmission.reservation;
  const addressAdmission = await reserve(executor, signInKeys.address(address), rules.address);
  if (!addressAdmission.admitted) {
    await release(executor, pair);
    throw addressAdmission.blockedUntil ? addressHeld(addressAdmission.blockedUntil) : busy();
  }
  if (pair.succeededAt) return { pair, address: addressAdmission.reservation, account: null };
  const accountAdmission = await reserve(executor, signInKeys.account(accountId), rules.account, accountId);
  if (!accountAdmission.admitted) {
    await release(executor, pair);
    await release(executor, addressAdmission.reservation);
    throw accountAdmission.blockedUntil ? accountHeld(accountAdmission.blockedUntil) : busy();
  }
  return { pair, address: addressAdmission.reservation, account: accountAdmission.reservation };
}

/** A wrong password: counted under every key it was admitted by. */
export async function signInFailed(executor: Executor, rules: SignInRules, gate: SignInGate): Promise<SignInFailure> {
  const pair = await fail(executor, gate.pair, rules.pair);
  const address = await fail(executor, gate.address, rules.address);
  const account = gate.account ? await fail(executor, gate.account, rules.account) : null;
  return { failures: pair.failures, lockedUntil: pair.blockedUntil, account, addressHeldUntil: address.blockedUntil };
}

/** The right password: this address's failures on the account are forgotten and it is remembered; the rest released. */
export async function signInSucceeded(executor: Executor, rules: SignInRules, gate: SignInGate) {
  await succeed(executor, gate.pair, rules.rememberAddressMs);
  await release(executor, gate.address);
  if (gate.account) await release(executor, gate.account);
}
