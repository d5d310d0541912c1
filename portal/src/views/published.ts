import type { HomePeriodsQuery } from '@/gql/graphql'

type Period = HomePeriodsQuery['periods'][number]

/** Quarters and years whose results are published (公示 onwards), newest first. */
export function publishedPeriods(periods: readonly Period[]): Period[] {
  const order = (p: Period): number => p.year * 10 + (p.quarter ?? 5)
  return periods.filter((p) => p.publishedAt != null).sort((a, b) => order(b) - order(a))
}
