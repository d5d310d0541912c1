import { onMounted, ref, type Ref } from 'vue'
import { errorText, gql } from '@/api/client'
import { HomePeriodsDocument, type HomePeriodsQuery } from '@/gql/graphql'

type Period = HomePeriodsQuery['periods'][number]

/** Quarters and years whose results are published (公示 onwards), newest first. */
export function publishedPeriods(periods: readonly Period[]): Period[] {
  const order = (p: Period): number => p.year * 10 + (p.quarter ?? 5)
  return periods.filter((p) => p.publishedAt != null).sort((a, b) => order(b) - order(a))
}

/** A page's period picker over the published periods, loaded on mount, the latest picked. */
export function usePublishedPeriods(): {
  periods: Ref<Period[]>; periodId: Ref<string>; error: Ref<string | null>; loading: Ref<boolean>
} {
  const periods = ref<Period[]>([])
  const periodId = ref('')
  const error = ref<string | null>(null)
  const loading = ref(true)
  onMounted(async () => {
    try {
      periods.value = publishedPeriods((await gql(HomePeriodsDocument)).periods)
      periodId.value = periods.value[0]?.id ?? ''
    } catch (e) {
      error.value = errorText(e)
    } finally {
      loading.value = false
    }
  })
  return { periods, periodId, error, loading }
}
