// The one route table: every page under the layout, its menu title and the roles that may see
// it ([] = every signed-in account). The side menu and the route guard both read it, so adding
// a page is one entry here plus its view (see CONTRIBUTING.md, "Portal").
import type { RouteComponent } from 'vue-router'
import type { Role } from '@/gql/graphql'

export interface PageEntry {
  /** Path under the layout, without the leading slash ('' is 首页). */
  path: string
  name: string
  /** The menu label. */
  title: string
  roles: readonly Role[]
  component: () => Promise<RouteComponent>
  /** False for pages reached by a link rather than from the menu. */
  inMenu?: boolean
}

const PEOPLE_WITH_TASKS: readonly Role[] = [
  'staff', 'department_head', 'office', 'supervising_leader', 'principal_leader',
]

export const pages: readonly PageEntry[] = [
  { path: '', name: 'home', title: '首页', roles: [],
    component: () => import('@/views/HomeView.vue') },
  { path: 'my-tasks', name: 'my-tasks', title: '我的任务', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/MyTasksView.vue') },
  { path: 'declaration', name: 'declaration', title: '实绩申报', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/DeclarationView.vue') },
  { path: 'my-results', name: 'my-results', title: '我的考核结果', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/MyResultsView.vue') },
  { path: 'my-interviews', name: 'my-interviews', title: '反馈谈话', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/InterviewsView.vue') },
  { path: 'my-indicators', name: 'my-indicators', title: '我的指标', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/MyIndicatorsView.vue') },
  { path: 'publicity', name: 'publicity', title: '实绩公示', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/PublicityView.vue') },
  { path: 'board', name: 'board', title: '点赞/错情', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/BoardView.vue') },
  { path: 'change-password', name: 'change-password', title: '修改密码', roles: [], inMenu: false,
    component: () => import('@/views/ChangePasswordView.vue') },
  { path: 'org', name: 'org', title: '组织架构', roles: ['tenant_admin'],
    component: () => import('@/views/OrgView.vue') },
]
