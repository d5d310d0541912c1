// History-mode router: /login is public; every other page lives in the layout and is guarded
// by the roles its entry in routes.ts declares.
import { createRouter, createWebHistory } from 'vue-router'
import { loadMe } from '@/api/me'
import AppLayout from '@/layout/AppLayout.vue'
import LoginView from '@/views/LoginView.vue'
import { hasAnyRole, mustChangePassword, session } from '@/stores/session'
import { pages } from './routes'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
    {
      path: '/',
      component: AppLayout,
      children: [
        ...pages.map((p) => ({ path: p.path, name: p.name, component: p.component,
                               meta: { roles: p.roles, title: p.title } })),
        // A page the account's roles may not see: refused here, the address kept in the query.
        { path: 'forbidden', name: 'forbidden', component: () => import('@/views/ForbiddenView.vue'),
          meta: { title: '无权访问' } },
        { path: ':pathMatch(.*)*', name: 'not-found',
          component: () => import('@/views/NotFoundView.vue'), meta: { title: '页面不存在' } },
      ],
    },
  ],
})

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  if (!session.token) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  if (!session.me) {
    try {
      await loadMe()
    } catch {
      return { name: 'login' }
    }
  }
  // An initial or reset password: nothing else until it is changed.
  if (mustChangePassword()) return to.name === 'change-password' ? true : { name: 'change-password' }
  return hasAnyRole(to.meta.roles ?? []) ? true : { name: 'forbidden', query: { from: to.fullPath } }
})

router.afterEach((to) => {
  const title = typeof to.meta.title === 'string' ? `${to.meta.title} · ` : ''
  document.title = `${title}绩效管理平台`
})
