// A page's loads and actions in one place: ``loading`` while a load runs, ``busy`` while an
// action (a save, a submit) runs, the failure of either as a Chinese sentence in ``error``.
// Answers that arrive out of order are dropped: a person who switches the period (or year, or
// filter) twice must see the answer to the last choice, not whichever request finished last.
import { type Ref, ref } from 'vue'
import { errorText } from '@/api/client'

/**
 * Returns ``begin``: call it when a load starts; the function it returns tells, once the answer
 * is in, whether this load is still the newest (otherwise its answer is dropped).
 */
export function newestOnly(): () => () => boolean {
  let newest = 0
  return () => {
    const mine = ++newest
    return () => mine === newest
  }
}

export interface Loader {
  loading: Ref<boolean>
  busy: Ref<boolean>
  error: Ref<string | null>
  /**
   * Runs a load: ``loading`` while it runs, its failure in ``error``. ``work`` is given
   * ``current``, to ask after each await whether it is still the newest load; a load that a
   * newer one overtook neither shows its failure nor ends ``loading``.
   */
  whileLoading: (work: (current: () => boolean) => Promise<void>, fallback?: string) => Promise<void>
  /** Runs an action: ``busy`` while it runs, its failure in ``error``; true when it succeeded. */
  whileBusy: (work: () => Promise<void>, fallback?: string) => Promise<boolean>
}

/** The loader of one page; ``loading`` starts true when the page loads on opening. */
export function useLoader(loadingAtFirst = true): Loader {
  const loading = ref(loadingAtFirst)
  const busy = ref(false)
  const error = ref<string | null>(null)
  const begin = newestOnly()

  async function whileLoading(work: (current: () => boolean) => Promise<void>, fallback?: string): Promise<void> {
    const current = begin()
    loading.value = true
    error.value = null
    try {
      await work(current)
    } catch (e) {
      if (current()) error.value = errorText(e, fallback)
    } finally {
      if (current()) loading.value = false
    }
  }

  async function whileBusy(work: () => Promise<void>, fallback = '操作失败，请稍后再试'): Promise<boolean> {
    busy.value = true
    error.value = null
    try {
      await work()
      return true
    } catch (e) {
      error.value = errorText(e, fallback)
      return false
    } finally {
      busy.value = false
    }
  }

  return { loading, busy, error, whileLoading, whileBusy }
}
