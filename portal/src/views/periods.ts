import type { HomePeriodsQuery } from '@/gql/graphql'
import { ApiError } from '@/api/client'

type Period = HomePeriodsQuery['periods'][number]

/** The period a person works in now: the latest one not closed, else the latest closed one. */
export function currentPeriod(periods: readonly Period[]): Period | null {
  const order = (p: Period): number => p.year * 10 + (p.quarter ?? 5)
  const sorted = [...periods].sort((a, b) => order(b) - order(a))
  return sorted.find((p) => p.state !== 'closed') ?? sorted[0] ?? null
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString('zh-CN', { hour12: false })
}

/** Periods of a list in the given states, newest first. */
export function periodsIn<P extends { year: number; quarter?: number | null; state: string }>(
  periods: readonly P[], states: readonly string[]): P[] {
  const order = (p: P): number => p.year * 10 + (p.quarter ?? 5)
  return periods.filter((p) => states.includes(p.state)).sort((a, b) => order(b) - order(a))
}

/** An error a person reads, from whatever a call threw. */
export function errorText(e: unknown, fallback = '加载失败，请刷新重试'): string {
  return e instanceof ApiError ? e.message : fallback
}
