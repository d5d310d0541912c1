import type { HomePeriodsQuery } from '@/gql/graphql'

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
